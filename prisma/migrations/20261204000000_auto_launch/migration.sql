-- Automatic launch on JMA telegrams: where employees are, the telegrams, tenants' rules and what each quake did.

-- AlterEnum
ALTER TYPE "ActorType" ADD VALUE 'jma';

-- AlterTable
ALTER TABLE "broadcasts" ADD COLUMN     "closed_reason" TEXT,
ADD COLUMN     "source" JSONB;

-- AlterTable
ALTER TABLE "departments" ADD COLUMN     "prefecture" SMALLINT;

-- AlterTable
ALTER TABLE "recipients" ADD COLUMN     "location_check" TEXT;

-- AlterTable
ALTER TABLE "employees" ADD COLUMN     "home_prefecture" SMALLINT,
ADD COLUMN     "work_prefecture" SMALLINT;

-- CreateTable
CREATE TABLE "jma_telegrams" (
    "id" UUID NOT NULL,
    "entry_id" TEXT NOT NULL,
    "received_via" TEXT NOT NULL,
    "kind" TEXT,
    "title" TEXT,
    "status" TEXT,
    "info_type" TEXT,
    "event_id" TEXT,
    "serial" INTEGER,
    "reported_at" TIMESTAMPTZ(3),
    "summary" JSONB,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "xml" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "evaluated_at" TIMESTAMPTZ(3),
    "effects" JSONB,

    CONSTRAINT "jma_telegrams_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "jma_feed_state" (
    "feed" TEXT NOT NULL,
    "etag" TEXT,
    "last_modified" TEXT,
    "polled_at" TIMESTAMPTZ(3),

    CONSTRAINT "jma_feed_state_pkey" PRIMARY KEY ("feed")
);

-- CreateTable
CREATE TABLE "auto_launch_rules" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "min_level" TEXT,
    "prefectures" SMALLINT[],
    "target" TEXT NOT NULL,
    "affected_by" TEXT NOT NULL DEFAULT 'work',
    "department_ids" UUID[],
    "template_id" TEXT NOT NULL,
    "hold_minutes" INTEGER NOT NULL DEFAULT 0,
    "include_drill_telegrams" BOOLEAN NOT NULL DEFAULT false,
    "suppress_hours" INTEGER NOT NULL DEFAULT 6,
    "location_check_minutes" INTEGER,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "auto_launch_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auto_launches" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "event_key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "drill" BOOLEAN NOT NULL,
    "state" TEXT NOT NULL,
    "reason" TEXT,
    "rule_ids" UUID[],
    "telegram_ids" UUID[],
    "broadcast_id" UUID,
    "title" TEXT NOT NULL,
    "launch_at" TIMESTAMPTZ(3) NOT NULL,
    "prefectures" SMALLINT[],
    "levels" JSONB NOT NULL,
    "additions" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "auto_launches_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "jma_telegrams_entry_id_key" ON "jma_telegrams"("entry_id");

-- CreateIndex
CREATE INDEX "jma_telegrams_received_at_idx" ON "jma_telegrams"("received_at" DESC);

-- CreateIndex
CREATE INDEX "jma_telegrams_event_id_idx" ON "jma_telegrams"("event_id");

-- CreateIndex
CREATE INDEX "auto_launch_rules_tenant_id_idx" ON "auto_launch_rules"("tenant_id");

-- CreateIndex
CREATE INDEX "auto_launches_tenant_id_created_at_idx" ON "auto_launches"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "auto_launches_tenant_id_event_key_key" ON "auto_launches"("tenant_id", "event_key");


-- Telegrams and the feeds' state are the platform's: no tenant sees them.
ALTER TABLE jma_telegrams ENABLE ROW LEVEL SECURITY;
ALTER TABLE jma_telegrams FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON jma_telegrams USING (anpi_is_platform()) WITH CHECK (anpi_is_platform());
ALTER TABLE jma_feed_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE jma_feed_state FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON jma_feed_state USING (anpi_is_platform()) WITH CHECK (anpi_is_platform());

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['auto_launch_rules', 'auto_launches'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = anpi_current_tenant()) WITH CHECK (tenant_id = anpi_current_tenant())',
      t);
  END LOOP;
END $$;

-- The tenants a telegram may concern (an enabled rule, not suspended), found before any tenant is
-- open: ids only.
CREATE FUNCTION anpi_auto_launch_tenants() RETURNS TABLE (id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT DISTINCT r.tenant_id FROM auto_launch_rules r JOIN tenants t ON t.id = r.tenant_id
        WHERE r.enabled AND t.status = 'active' $$;
REVOKE ALL ON FUNCTION anpi_auto_launch_tenants() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION anpi_auto_launch_tenants() TO anpi_app;
