-- Tenant setting: department heads see the contacts of employees in their subtrees and may enter
-- proxy answers for them (off by default).
ALTER TABLE "tenants" ADD COLUMN "heads_see_contacts" BOOLEAN NOT NULL DEFAULT false;
