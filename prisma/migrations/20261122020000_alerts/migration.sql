-- CreateEnum
CREATE TYPE "Channel" AS ENUM ('line', 'email', 'sms');

-- CreateEnum
CREATE TYPE "BroadcastStatus" AS ENUM ('queued', 'sending', 'completed', 'cancelled');

-- CreateEnum
CREATE TYPE "DeliveryState" AS ENUM ('pending', 'sent', 'failed', 'skipped', 'cancelled');

-- CreateTable
CREATE TABLE "channel_settings" (
    "tenant_id" UUID NOT NULL,
    "line_channel_id" TEXT,
    "line_channel_secret" TEXT,
    "line_access_token" TEXT,
    "email_from_name" TEXT,
    "email_from_address" TEXT,
    "sms_account_sid" TEXT,
    "sms_auth_token" TEXT,
    "sms_from" TEXT,
    "sms_messaging_service_sid" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "channel_settings_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "templates" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "questions" JSONB NOT NULL,
    "free_text" JSONB,
    "channels" "Channel"[],
    "notification_detail" JSONB NOT NULL,
    "drill" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "broadcasts" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "template_ref" TEXT,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "questions" JSONB NOT NULL,
    "free_text" JSONB,
    "channels" "Channel"[],
    "notification_detail" JSONB NOT NULL,
    "drill" BOOLEAN NOT NULL,
    "targets" JSONB NOT NULL,
    "status" "BroadcastStatus" NOT NULL DEFAULT 'queued',
    "idempotency_key" TEXT,
    "request_hash" TEXT,
    "created_by_type" "ActorType" NOT NULL,
    "created_by_id" TEXT,
    "sender_name" TEXT NOT NULL,
    "recipient_count" INTEGER,
    "answer_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "launched_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "broadcasts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recipients" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "broadcast_id" UUID NOT NULL,
    "employee_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "department_id" UUID,
    "department_name" TEXT,
    "department_path" UUID[],
    "locale" TEXT NOT NULL,
    "emails" TEXT[],
    "mobiles" TEXT[],
    "line_user_id" TEXT,
    "line_status" "LineStatus" NOT NULL,

    CONSTRAINT "recipients_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deliveries" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "broadcast_id" UUID NOT NULL,
    "recipient_id" UUID NOT NULL,
    "channel" "Channel" NOT NULL,
    "contact_index" INTEGER NOT NULL,
    "batch" INTEGER NOT NULL,
    "state" "DeliveryState" NOT NULL,
    "provider_message_id" TEXT,
    "units" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_ledger" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "delivery_id" UUID NOT NULL,
    "broadcast_id" UUID NOT NULL,
    "channel" "Channel" NOT NULL,
    "units" INTEGER NOT NULL,
    "drill" BOOLEAN NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_ledger_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "templates_tenant_id_name_key" ON "templates"("tenant_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "templates_tenant_id_id_key" ON "templates"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "broadcasts_tenant_id_created_at_idx" ON "broadcasts"("tenant_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "broadcasts_tenant_id_idempotency_key_key" ON "broadcasts"("tenant_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "broadcasts_tenant_id_id_key" ON "broadcasts"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "recipients_broadcast_id_employee_id_key" ON "recipients"("broadcast_id", "employee_id");

-- CreateIndex
CREATE UNIQUE INDEX "recipients_broadcast_id_seq_key" ON "recipients"("broadcast_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "recipients_tenant_id_id_key" ON "recipients"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "deliveries_broadcast_id_channel_batch_state_idx" ON "deliveries"("broadcast_id", "channel", "batch", "state");

-- CreateIndex
CREATE INDEX "deliveries_broadcast_id_state_idx" ON "deliveries"("broadcast_id", "state");

-- CreateIndex
CREATE UNIQUE INDEX "deliveries_recipient_id_channel_contact_index_key" ON "deliveries"("recipient_id", "channel", "contact_index");

-- CreateIndex
CREATE UNIQUE INDEX "deliveries_tenant_id_id_key" ON "deliveries"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "usage_ledger_delivery_id_key" ON "usage_ledger"("delivery_id");

-- CreateIndex
CREATE INDEX "usage_ledger_tenant_id_occurred_at_idx" ON "usage_ledger"("tenant_id", "occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "usage_ledger_tenant_id_delivery_id_key" ON "usage_ledger"("tenant_id", "delivery_id");

-- AddForeignKey
ALTER TABLE "channel_settings" ADD CONSTRAINT "channel_settings_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "templates" ADD CONSTRAINT "templates_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "broadcasts" ADD CONSTRAINT "broadcasts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recipients" ADD CONSTRAINT "recipients_tenant_id_broadcast_id_fkey" FOREIGN KEY ("tenant_id", "broadcast_id") REFERENCES "broadcasts"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_tenant_id_broadcast_id_fkey" FOREIGN KEY ("tenant_id", "broadcast_id") REFERENCES "broadcasts"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_tenant_id_recipient_id_fkey" FOREIGN KEY ("tenant_id", "recipient_id") REFERENCES "recipients"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_ledger" ADD CONSTRAINT "usage_ledger_tenant_id_delivery_id_fkey" FOREIGN KEY ("tenant_id", "delivery_id") REFERENCES "deliveries"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Row-level security for the new tenant-owned tables.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['channel_settings', 'templates', 'broadcasts', 'recipients', 'deliveries'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = anpi_current_tenant()) WITH CHECK (tenant_id = anpi_current_tenant())',
      t);
  END LOOP;
END $$;

-- The usage ledger is append-only, like the audit log: billing reads it, nothing rewrites it.
ALTER TABLE usage_ledger ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_ledger FORCE ROW LEVEL SECURITY;
CREATE POLICY usage_select ON usage_ledger FOR SELECT USING (tenant_id = anpi_current_tenant());
CREATE POLICY usage_insert ON usage_ledger FOR INSERT WITH CHECK (tenant_id = anpi_current_tenant());
REVOKE UPDATE, DELETE, TRUNCATE ON usage_ledger FROM anpi_app;
