-- CreateEnum
CREATE TYPE "InvoiceStatus" AS ENUM ('draft', 'issued');

-- CreateEnum
CREATE TYPE "InvoiceLineKind" AS ENUM ('initial_fee', 'pack_fee', 'overage', 'sms_segments');

-- CreateTable
CREATE TABLE "plans" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "initial_fee" INTEGER NOT NULL,
    "monthly_fee" INTEGER NOT NULL,
    "included_messages" INTEGER NOT NULL,
    "overage_unit_price" INTEGER NOT NULL,
    "counted_channels" TEXT[] DEFAULT ARRAY['line']::TEXT[],
    "sms_segment_price" INTEGER,
    "tax_rate_percent" INTEGER NOT NULL DEFAULT 10,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tenant_plans" (
    "tenant_id" UUID NOT NULL,
    "effective_from" DATE NOT NULL,
    "plan_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_plans_pkey" PRIMARY KEY ("tenant_id","effective_from")
);

-- CreateTable
CREATE TABLE "invoices" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "month" DATE NOT NULL,
    "plan_id" UUID NOT NULL,
    "status" "InvoiceStatus" NOT NULL DEFAULT 'draft',
    "included_messages" INTEGER NOT NULL,
    "counted_units" INTEGER NOT NULL,
    "drill_units" INTEGER NOT NULL,
    "overage_units" INTEGER NOT NULL,
    "sms_segments" INTEGER NOT NULL,
    "subtotal" INTEGER NOT NULL,
    "tax_rate_percent" INTEGER NOT NULL,
    "tax" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "closed_at" TIMESTAMPTZ(3) NOT NULL,
    "issued_at" TIMESTAMPTZ(3),

    CONSTRAINT "invoices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice_lines" (
    "invoice_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" "InvoiceLineKind" NOT NULL,
    "description" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price" INTEGER NOT NULL,
    "amount" INTEGER NOT NULL,

    CONSTRAINT "invoice_lines_pkey" PRIMARY KEY ("invoice_id","position")
);

-- CreateTable
CREATE TABLE "invoice_usage" (
    "invoice_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "channel" "Channel" NOT NULL,
    "drill" BOOLEAN NOT NULL,
    "messages" INTEGER NOT NULL,
    "units" INTEGER NOT NULL,
    "counted" BOOLEAN NOT NULL,

    CONSTRAINT "invoice_usage_pkey" PRIMARY KEY ("invoice_id","channel","drill")
);

-- CreateTable
CREATE TABLE "usage_notices" (
    "tenant_id" UUID NOT NULL,
    "month" DATE NOT NULL,
    "percent" INTEGER NOT NULL,
    "units" INTEGER NOT NULL,
    "notified_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_notices_pkey" PRIMARY KEY ("tenant_id","month","percent")
);

-- CreateTable
CREATE TABLE "line_reconciliations" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "month" DATE NOT NULL,
    "channel_id" TEXT NOT NULL,
    "line_units" INTEGER NOT NULL,
    "ledger_units" INTEGER NOT NULL,
    "checked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "line_reconciliations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "plans_code_key" ON "plans"("code");

-- CreateIndex
CREATE INDEX "invoices_month_idx" ON "invoices"("month");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_tenant_id_month_key" ON "invoices"("tenant_id", "month");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_tenant_id_id_key" ON "invoices"("tenant_id", "id");

-- CreateIndex
CREATE INDEX "line_reconciliations_tenant_id_checked_at_idx" ON "line_reconciliations"("tenant_id", "checked_at" DESC);

-- AddForeignKey
ALTER TABLE "tenant_plans" ADD CONSTRAINT "tenant_plans_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenant_plans" ADD CONSTRAINT "tenant_plans_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_tenant_id_invoice_id_fkey" FOREIGN KEY ("tenant_id", "invoice_id") REFERENCES "invoices"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoice_usage" ADD CONSTRAINT "invoice_usage_tenant_id_invoice_id_fkey" FOREIGN KEY ("tenant_id", "invoice_id") REFERENCES "invoices"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Prices are whole, non-negative yen. Enforced by a trigger rather than CHECK constraints: Prisma
-- 6.19's wasm schema engine crashes introspecting CHECK constraints (migrate diff, see README).
CREATE FUNCTION anpi_plan_valid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.initial_fee < 0 OR NEW.monthly_fee < 0 OR NEW.included_messages < 0 OR NEW.overage_unit_price < 0
     OR coalesce(NEW.sms_segment_price, 0) < 0 OR NEW.tax_rate_percent NOT BETWEEN 0 AND 100 THEN
    RAISE EXCEPTION 'plan % has a negative amount or a tax rate outside 0..100', NEW.code USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.counted_channels IS NULL OR NOT (NEW.counted_channels <@ ARRAY['line', 'email', 'sms']) THEN
    RAISE EXCEPTION 'plan % counts unknown channels', NEW.code USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER plans_valid BEFORE INSERT OR UPDATE ON plans FOR EACH ROW EXECUTE FUNCTION anpi_plan_valid();

CREATE FUNCTION anpi_tenant_plan_valid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF extract(day FROM NEW.effective_from) <> 1 THEN
    RAISE EXCEPTION 'a plan takes effect on the first day of a month' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER tenant_plans_valid BEFORE INSERT OR UPDATE ON tenant_plans FOR EACH ROW EXECUTE FUNCTION anpi_tenant_plan_valid();

-- An issued invoice is what the customer received: nothing may change or remove it, its lines or
-- its breakdown, whatever the application does.
CREATE FUNCTION anpi_invoice_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'issued' THEN
    RAISE EXCEPTION 'invoice % is issued and cannot change', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER invoices_frozen BEFORE UPDATE OR DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION anpi_invoice_frozen();

CREATE FUNCTION anpi_invoice_part_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE parent uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.invoice_id ELSE NEW.invoice_id END;
BEGIN
  IF EXISTS (SELECT 1 FROM invoices WHERE id = parent AND status = 'issued') THEN
    RAISE EXCEPTION 'invoice % is issued and cannot change', parent USING ERRCODE = 'check_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER invoice_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines FOR EACH ROW EXECUTE FUNCTION anpi_invoice_part_frozen();
CREATE TRIGGER invoice_usage_frozen BEFORE INSERT OR UPDATE OR DELETE ON invoice_usage FOR EACH ROW EXECUTE FUNCTION anpi_invoice_part_frozen();

-- The price list is public to tenants (their invoices quote it); only the platform writes it.
ALTER TABLE plans ENABLE ROW LEVEL SECURITY;
ALTER TABLE plans FORCE ROW LEVEL SECURITY;
CREATE POLICY plans_read ON plans FOR SELECT USING (true);
CREATE POLICY plans_write ON plans FOR INSERT WITH CHECK (anpi_is_platform());
CREATE POLICY plans_update ON plans FOR UPDATE USING (anpi_is_platform()) WITH CHECK (anpi_is_platform());

-- Tenant-owned billing rows. The operator may also read invoices and reconciliations across
-- tenants (to invoice them); writing still needs the tenant's own context.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['tenant_plans', 'invoices', 'invoice_lines', 'invoice_usage', 'usage_notices', 'line_reconciliations'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = anpi_current_tenant()) WITH CHECK (tenant_id = anpi_current_tenant())',
      t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['invoices', 'invoice_lines', 'invoice_usage', 'line_reconciliations'] LOOP
    EXECUTE format('CREATE POLICY platform_read ON %I FOR SELECT USING (anpi_is_platform())', t);
  END LOOP;
END $$;

-- The three standard packs (エマージェンシーコール's LINE option model): 4 yen per message over
-- the pack, initial fee 10,000 yen, LINE messages counted, email free, SMS not priced by default.
INSERT INTO plans (id, code, name, initial_fee, monthly_fee, included_messages, overage_unit_price) VALUES
  (gen_random_uuid(), 'pack-3000', 'メッセージパック 3,000通 (3,000 messages)', 10000, 3000, 3000, 4),
  (gen_random_uuid(), 'pack-10000', 'メッセージパック 10,000通 (10,000 messages)', 10000, 8000, 10000, 4),
  (gen_random_uuid(), 'pack-45000', 'メッセージパック 45,000通 (45,000 messages)', 10000, 30000, 45000, 4);
