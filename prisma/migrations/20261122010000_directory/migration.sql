-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateEnum
CREATE TYPE "LineStatus" AS ENUM ('unlinked', 'linked', 'unreachable');

-- AlterTable
ALTER TABLE "employees" ADD COLUMN     "erased_at" TIMESTAMPTZ(3),
ADD COLUMN     "line_display_name" TEXT,
ADD COLUMN     "line_linked_at" TIMESTAMPTZ(3),
ADD COLUMN     "line_status" "LineStatus" NOT NULL DEFAULT 'unlinked',
ADD COLUMN     "line_user_id" TEXT;

-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "show_line_profile_to_maintainers" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "employee_departments" (
    "tenant_id" UUID NOT NULL,
    "employee_id" UUID NOT NULL,
    "department_id" UUID NOT NULL,

    CONSTRAINT "employee_departments_pkey" PRIMARY KEY ("employee_id","department_id")
);

-- CreateTable
CREATE TABLE "user_departments" (
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "department_id" UUID NOT NULL,

    CONSTRAINT "user_departments_pkey" PRIMARY KEY ("user_id","department_id")
);

-- CreateIndex
CREATE INDEX "employee_departments_tenant_id_department_id_idx" ON "employee_departments"("tenant_id", "department_id");

-- CreateIndex
CREATE INDEX "user_departments_tenant_id_department_id_idx" ON "user_departments"("tenant_id", "department_id");

-- CreateIndex
CREATE INDEX "employees_name_trgm_idx" ON "employees" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "employees_kana_trgm_idx" ON "employees" USING GIN ("kana" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "employees_code_trgm_idx" ON "employees" USING GIN ("code" gin_trgm_ops);

-- AddForeignKey
ALTER TABLE "employee_departments" ADD CONSTRAINT "employee_departments_tenant_id_employee_id_fkey" FOREIGN KEY ("tenant_id", "employee_id") REFERENCES "employees"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "employee_departments" ADD CONSTRAINT "employee_departments_tenant_id_department_id_fkey" FOREIGN KEY ("tenant_id", "department_id") REFERENCES "departments"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_departments" ADD CONSTRAINT "user_departments_tenant_id_user_id_fkey" FOREIGN KEY ("tenant_id", "user_id") REFERENCES "users"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_departments" ADD CONSTRAINT "user_departments_tenant_id_department_id_fkey" FOREIGN KEY ("tenant_id", "department_id") REFERENCES "departments"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-level security for the new tenant-owned tables, as for every other.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['employee_departments', 'user_departments'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = anpi_current_tenant()) WITH CHECK (tenant_id = anpi_current_tenant())',
      t);
  END LOOP;
END $$;
