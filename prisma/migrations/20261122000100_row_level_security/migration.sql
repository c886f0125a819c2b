-- Tenant isolation enforced by PostgreSQL itself.
--
-- The application connects as anpi_app: not a superuser and without BYPASSRLS (either would skip
-- every policy). Migrations run as the owner. Roles are cluster-wide, hence the existence check;
-- the password is set by the set-up script from configuration, never here.
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anpi_app') THEN
    CREATE ROLE anpi_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO anpi_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO anpi_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO anpi_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO anpi_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO anpi_app;
-- Prisma's bookkeeping belongs to migrations, not to the application. (Absent in the shadow
-- database `migrate dev` and `migrate diff` use.)
DO $$ BEGIN
  IF to_regclass('_prisma_migrations') IS NOT NULL THEN
    REVOKE ALL ON TABLE _prisma_migrations FROM anpi_app;
  END IF;
END $$;

-- The tenant of the current transaction, set with set_config('app.tenant_id', <uuid>, true).
-- Unset or empty means "no tenant": every policy below then matches nothing.
CREATE FUNCTION anpi_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

-- The platform operator's context (set_config('app.platform', 'on', true)): it manages tenants
-- and sees nothing inside them.
CREATE FUNCTION anpi_is_platform() RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce(current_setting('app.platform', true), '') = 'on' $$;

-- tenants: the platform manages them; a tenant context sees and updates only its own row.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenants_select ON tenants FOR SELECT
  USING (anpi_is_platform() OR id = anpi_current_tenant());
CREATE POLICY tenants_update ON tenants FOR UPDATE
  USING (anpi_is_platform() OR id = anpi_current_tenant())
  WITH CHECK (anpi_is_platform() OR id = anpi_current_tenant());
CREATE POLICY tenants_insert ON tenants FOR INSERT
  WITH CHECK (anpi_is_platform());
CREATE POLICY tenants_delete ON tenants FOR DELETE
  USING (anpi_is_platform());

-- Every tenant-owned table: one policy on tenant_id, for every command.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['users', 'refresh_tokens', 'api_keys', 'departments', 'employees'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = anpi_current_tenant()) WITH CHECK (tenant_id = anpi_current_tenant())',
      t);
  END LOOP;
END $$;

-- audit_log is append-only: policies for reading and inserting only, and no privilege to change rows.
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_select ON audit_log FOR SELECT USING (tenant_id = anpi_current_tenant());
CREATE POLICY audit_insert ON audit_log FOR INSERT WITH CHECK (tenant_id = anpi_current_tenant());
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM anpi_app;

-- Two narrow lookups that must work before a tenant is known. They run as the owner (SECURITY
-- DEFINER) and return one tenant's id and status, nothing else.
CREATE FUNCTION anpi_tenant_by_slug(p_slug text)
  RETURNS TABLE (id uuid, status "TenantStatus", suspended_reason text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT t.id, t.status, t.suspended_reason FROM tenants t WHERE t.slug = p_slug $$;

CREATE FUNCTION anpi_tenant_access(p_tenant uuid)
  RETURNS TABLE (id uuid, status "TenantStatus", suspended_reason text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT t.id, t.status, t.suspended_reason FROM tenants t WHERE t.id = p_tenant $$;

REVOKE ALL ON FUNCTION anpi_tenant_by_slug(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION anpi_tenant_access(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION anpi_tenant_by_slug(text) TO anpi_app;
GRANT EXECUTE ON FUNCTION anpi_tenant_access(uuid) TO anpi_app;

-- Checked on every authenticated request, in one round trip: is the tenant active, does the user
-- still exist in it, enabled, and with which role (so a disabled user or a changed role takes
-- effect at once, not when the access token expires).
CREATE FUNCTION anpi_user_access(p_tenant uuid, p_user uuid)
  RETURNS TABLE (tenant_status "TenantStatus", suspended_reason text, role "Role", disabled boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT t.status, t.suspended_reason, u.role, u.disabled_at IS NOT NULL
    FROM tenants t JOIN users u ON u.tenant_id = t.id
    WHERE t.id = p_tenant AND u.id = p_user
  $$;
REVOKE ALL ON FUNCTION anpi_user_access(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION anpi_user_access(uuid, uuid) TO anpi_app;
