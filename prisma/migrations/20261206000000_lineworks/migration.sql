-- LINE WORKS as a channel. New enum values are added here and first used by later statements'
-- callers only (PostgreSQL refuses to use a value added in the same transaction).
ALTER TYPE "Channel" ADD VALUE 'lineworks';
ALTER TYPE "AnswerSource" ADD VALUE 'lineworks';

-- AlterTable
ALTER TABLE "channel_settings" ADD COLUMN     "lineworks_bot_id" TEXT,
ADD COLUMN     "lineworks_bot_secret" TEXT,
ADD COLUMN     "lineworks_client_id" TEXT,
ADD COLUMN     "lineworks_client_secret" TEXT,
ADD COLUMN     "lineworks_domain_id" TEXT,
ADD COLUMN     "lineworks_private_key" TEXT,
ADD COLUMN     "lineworks_rate_per_minute" INTEGER,
ADD COLUMN     "lineworks_service_account" TEXT;

-- AlterTable
ALTER TABLE "employees" ADD COLUMN     "lineworks_id" TEXT;

-- AlterTable
ALTER TABLE "recipients" ADD COLUMN     "lineworks_id" TEXT;

-- CreateTable
CREATE TABLE "lineworks_users" (
    "tenant_id" UUID NOT NULL,
    "works_user_id" TEXT NOT NULL,
    "employee_id" UUID NOT NULL,
    "learned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lineworks_users_pkey" PRIMARY KEY ("tenant_id","works_user_id")
);

-- CreateTable
CREATE TABLE "lineworks_callback_events" (
    "bot_id" TEXT NOT NULL,
    "event_key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lineworks_callback_events_pkey" PRIMARY KEY ("bot_id","event_key")
);

-- CreateIndex
CREATE INDEX "lineworks_callback_events_received_at_idx" ON "lineworks_callback_events"("received_at");

-- CreateIndex
CREATE UNIQUE INDEX "channel_settings_lineworks_bot_id_key" ON "channel_settings"("lineworks_bot_id");

-- AddForeignKey
ALTER TABLE "lineworks_users" ADD CONSTRAINT "lineworks_users_tenant_id_employee_id_fkey" FOREIGN KEY ("tenant_id", "employee_id") REFERENCES "employees"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE lineworks_users ENABLE ROW LEVEL SECURITY;
ALTER TABLE lineworks_users FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON lineworks_users
  USING (tenant_id = anpi_current_tenant()) WITH CHECK (tenant_id = anpi_current_tenant());

-- Callbacks arrive before their tenant is known: the idempotency record is the platform's.
ALTER TABLE lineworks_callback_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE lineworks_callback_events FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON lineworks_callback_events USING (anpi_is_platform()) WITH CHECK (anpi_is_platform());

-- Which tenant a callback URL's bot belongs to, and its sealed bot secret: exactly that bot.
CREATE FUNCTION anpi_lineworks_bot(p_bot text)
  RETURNS TABLE (tenant_id uuid, tenant_status "TenantStatus", bot_secret text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT cs.tenant_id, t.status, cs.lineworks_bot_secret
    FROM channel_settings cs JOIN tenants t ON t.id = cs.tenant_id
    WHERE cs.lineworks_bot_id = p_bot
  $$;
REVOKE ALL ON FUNCTION anpi_lineworks_bot(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION anpi_lineworks_bot(text) TO anpi_app;
