-- CreateTable
CREATE TABLE "plans" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "initial_fee" INTEGER NOT NULL,
    "monthly_fee" INTEGER NOT NULL,
    "included_messages" INTEGER NOT NULL,
    "overage_unit_price" INTEGER NOT NULL,
    "counted_channels" "Channel"[] DEFAULT ARRAY['line']::"Channel"[],
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
-- CreateIndex
CREATE UNIQUE INDEX "plans_code_key" ON "plans"("code");
-- AddForeignKey
ALTER TABLE "tenant_plans" ADD CONSTRAINT "tenant_plans_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- AddForeignKey
ALTER TABLE "tenant_plans" ADD CONSTRAINT "tenant_plans_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Amounts are whole yen and never negative; a plan counts at least one channel.
ALTER TABLE plans ADD CONSTRAINT plans_amounts_check CHECK (
  initial_fee >= 0 AND monthly_fee >= 0 AND included_messages >= 0 AND overage_unit_price >= 0
  AND (sms_segment_price IS NULL OR sms_segment_price >= 0) AND tax_rate_percent BETWEEN 0 AND 100);
ALTER TABLE tenant_plans ADD CONSTRAINT tenant_plans_first_of_month CHECK (extract(day FROM effective_from) = 1);

-- The price list is public to tenants (their invoices quote it); only the platform writes it.
ALTER TABLE plans ENABLE ROW LEVEL SECURITY;
ALTER TABLE plans FORCE ROW LEVEL SECURITY;
CREATE POLICY plans_read ON plans FOR SELECT USING (true);
CREATE POLICY plans_write ON plans FOR INSERT WITH CHECK (anpi_is_platform());
CREATE POLICY plans_update ON plans FOR UPDATE USING (anpi_is_platform()) WITH CHECK (anpi_is_platform());

ALTER TABLE tenant_plans ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_plans FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_plans
  USING (tenant_id = anpi_current_tenant()) WITH CHECK (tenant_id = anpi_current_tenant());

-- The three standard packs (エマージェンシーコール's LINE option model): 4 yen per message over
-- the pack, initial fee 10,000 yen, LINE messages counted, email free, SMS not priced by default.
INSERT INTO plans (id, code, name, initial_fee, monthly_fee, included_messages, overage_unit_price) VALUES
  (gen_random_uuid(), 'pack-3000', 'メッセージパック 3,000通 (3,000 messages)', 10000, 3000, 3000, 4),
  (gen_random_uuid(), 'pack-10000', 'メッセージパック 10,000通 (10,000 messages)', 10000, 8000, 10000, 4),
  (gen_random_uuid(), 'pack-45000', 'メッセージパック 45,000通 (45,000 messages)', 10000, 30000, 45000, 4);
