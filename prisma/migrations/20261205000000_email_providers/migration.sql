-- AlterTable
ALTER TABLE "broadcasts" ADD COLUMN     "email_provider_notes" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "channel_settings" ADD COLUMN     "email_primary_provider" TEXT,
ADD COLUMN     "email_secondary_provider" TEXT,
ADD COLUMN     "sendgrid_api_key" TEXT,
ADD COLUMN     "sendgrid_webhook_key" TEXT;

-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "delivered_at" TIMESTAMPTZ(3),
ADD COLUMN     "email_provider" TEXT,
ADD COLUMN     "provider_event" TEXT,
ADD COLUMN     "provider_event_note" TEXT;

-- CreateTable
CREATE TABLE "email_bounces" (
    "tenant_id" UUID NOT NULL,
    "employee_id" UUID NOT NULL,
    "address" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "broadcast_id" UUID,
    "bounced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_bounces_pkey" PRIMARY KEY ("tenant_id","employee_id","address")
);

-- CreateTable
CREATE TABLE "email_webhook_events" (
    "sg_event_id" TEXT NOT NULL,
    "channel_key" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_webhook_events_pkey" PRIMARY KEY ("sg_event_id")
);

-- CreateIndex
CREATE INDEX "email_webhook_events_received_at_idx" ON "email_webhook_events"("received_at");

-- AddForeignKey
ALTER TABLE "email_bounces" ADD CONSTRAINT "email_bounces_tenant_id_employee_id_fkey" FOREIGN KEY ("tenant_id", "employee_id") REFERENCES "employees"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE email_bounces ENABLE ROW LEVEL SECURITY;
ALTER TABLE email_bounces FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON email_bounces
  USING (tenant_id = anpi_current_tenant()) WITH CHECK (tenant_id = anpi_current_tenant());

-- Event Webhook posts arrive before anyone knows their tenant (the platform's shared SendGrid
-- account serves many): the idempotency record is the platform's, and no tenant context sees it.
ALTER TABLE email_webhook_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE email_webhook_events FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON email_webhook_events USING (anpi_is_platform()) WITH CHECK (anpi_is_platform());

-- The two lookups an Event Webhook post needs before its tenant is known.

-- A tenant's own SendGrid account: its verification key, if the tenant is active.
CREATE FUNCTION anpi_sendgrid_webhook_key(p_tenant uuid)
  RETURNS TABLE (tenant_id uuid, webhook_key text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT cs.tenant_id, cs.sendgrid_webhook_key
    FROM channel_settings cs JOIN tenants t ON t.id = cs.tenant_id
    WHERE cs.tenant_id = p_tenant AND t.status = 'active' AND cs.sendgrid_webhook_key IS NOT NULL
  $$;
REVOKE ALL ON FUNCTION anpi_sendgrid_webhook_key(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION anpi_sendgrid_webhook_key(uuid) TO anpi_app;

-- The platform's shared account: which tenant an email delivery (named by the event's custom
-- argument) belongs to.
CREATE FUNCTION anpi_email_delivery_tenant(p_delivery uuid) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT d.tenant_id FROM deliveries d
    WHERE d.id = p_delivery AND d.channel = 'email'
  $$;
REVOKE ALL ON FUNCTION anpi_email_delivery_tenant(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION anpi_email_delivery_tenant(uuid) TO anpi_app;
