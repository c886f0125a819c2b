-- AlterEnum
ALTER TYPE "AnswerSource" ADD VALUE 'line';

-- AlterTable
ALTER TABLE "broadcasts" ADD COLUMN     "line_quick_answer" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "channel_settings" ADD COLUMN     "line_basic_id" TEXT,
ADD COLUMN     "on_duty_emails" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "employees" ADD COLUMN     "line_channel_key" TEXT;

-- AlterTable
ALTER TABLE "templates" ADD COLUMN     "line_quick_answer" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "line_webhook_events" (
    "channel_key" TEXT NOT NULL,
    "webhook_event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "line_webhook_events_pkey" PRIMARY KEY ("channel_key","webhook_event_id")
);

-- CreateTable
CREATE TABLE "line_link_nonces" (
    "nonce_hash" TEXT NOT NULL,
    "tenant_id" UUID NOT NULL,
    "employee_id" UUID NOT NULL,
    "channel_key" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "line_link_nonces_pkey" PRIMARY KEY ("nonce_hash")
);

-- CreateTable
CREATE TABLE "inbox_messages" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "employee_id" UUID NOT NULL,
    "channel_key" TEXT NOT NULL,
    "line_user_id" TEXT NOT NULL,
    "webhook_event_id" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reply_text" TEXT,
    "replied_at" TIMESTAMPTZ(3),
    "replied_by" UUID,

    CONSTRAINT "inbox_messages_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "line_link_nonces_tenant_id_employee_id_idx" ON "line_link_nonces"("tenant_id", "employee_id");

-- CreateIndex
CREATE INDEX "inbox_messages_tenant_id_received_at_idx" ON "inbox_messages"("tenant_id", "received_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "inbox_messages_tenant_id_webhook_event_id_key" ON "inbox_messages"("tenant_id", "webhook_event_id");

-- CreateIndex
CREATE UNIQUE INDEX "channel_settings_line_channel_id_key" ON "channel_settings"("line_channel_id");

-- CreateIndex
CREATE INDEX "employees_line_channel_key_line_user_id_idx" ON "employees"("line_channel_key", "line_user_id");

-- CreateIndex
CREATE UNIQUE INDEX "employees_tenant_id_line_channel_key_line_user_id_key" ON "employees"("tenant_id", "line_channel_key", "line_user_id");

-- AddForeignKey
ALTER TABLE "line_link_nonces" ADD CONSTRAINT "line_link_nonces_tenant_id_employee_id_fkey" FOREIGN KEY ("tenant_id", "employee_id") REFERENCES "employees"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbox_messages" ADD CONSTRAINT "inbox_messages_tenant_id_employee_id_fkey" FOREIGN KEY ("tenant_id", "employee_id") REFERENCES "employees"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Employees linked before this migration linked through their tenant's channel at the time.
UPDATE employees e SET line_channel_key = coalesce((SELECT cs.line_channel_id FROM channel_settings cs WHERE cs.tenant_id = e.tenant_id), 'platform')
 WHERE e.line_user_id IS NOT NULL;

ALTER TABLE line_link_nonces ENABLE ROW LEVEL SECURITY;
ALTER TABLE line_link_nonces FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON line_link_nonces
  USING (tenant_id = anpi_current_tenant()) WITH CHECK (tenant_id = anpi_current_tenant());

ALTER TABLE inbox_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE inbox_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON inbox_messages
  USING (tenant_id = anpi_current_tenant()) WITH CHECK (tenant_id = anpi_current_tenant());

-- Webhook events arrive before anyone knows their tenant (the shared official account serves
-- many): the idempotency record is the platform's, and no tenant context sees it.
ALTER TABLE line_webhook_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE line_webhook_events FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON line_webhook_events USING (anpi_is_platform()) WITH CHECK (anpi_is_platform());

-- The three lookups a webhook needs before its tenant is known. Each returns ids (and a tenant's
-- sealed channel secrets) for exactly the key asked about, and nothing else.

-- Which tenant a webhook URL's channel belongs to, and its sealed credentials.
CREATE FUNCTION anpi_line_channel(p_key text)
  RETURNS TABLE (tenant_id uuid, tenant_status "TenantStatus", channel_secret text, access_token text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT cs.tenant_id, t.status, cs.line_channel_secret, cs.line_access_token
    FROM channel_settings cs JOIN tenants t ON t.id = cs.tenant_id
    WHERE cs.line_channel_id = p_key
  $$;

-- Which employees (at most one per tenant) a LINE user of a channel is linked to, in active tenants.
CREATE FUNCTION anpi_line_links(p_key text, p_user text)
  RETURNS TABLE (tenant_id uuid, employee_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT e.tenant_id, e.id
    FROM employees e JOIN tenants t ON t.id = e.tenant_id
    WHERE e.line_channel_key = p_key AND e.line_user_id = p_user AND e.erased_at IS NULL AND t.status = 'active'
  $$;

-- Which tenant issued an account-link nonce (known only by its hash).
CREATE FUNCTION anpi_line_nonce_tenant(p_hash text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT n.tenant_id FROM line_link_nonces n WHERE n.nonce_hash = p_hash $$;

REVOKE ALL ON FUNCTION anpi_line_channel(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION anpi_line_links(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION anpi_line_nonce_tenant(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION anpi_line_channel(text) TO anpi_app;
GRANT EXECUTE ON FUNCTION anpi_line_links(text, text) TO anpi_app;
GRANT EXECUTE ON FUNCTION anpi_line_nonce_tenant(text) TO anpi_app;
