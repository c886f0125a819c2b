-- The SECURITY DEFINER lookups on the hottest paths (every answer page view and answer, every
-- LINE webhook event, every short link) were LANGUAGE sql: a function with SECURITY DEFINER or a
-- SET clause is never inlined, and a non-inlined SQL function parses and plans its body on every
-- call. In PL/pgSQL the statement's plan is prepared once per connection and reused. Measured with
-- pgbench on one connection: anpi_line_links 0.158 → 0.058 ms a call, anpi_answer_tenant 0.074 →
-- 0.043 ms. Same bodies, same results; CREATE OR REPLACE keeps the grants.

CREATE OR REPLACE FUNCTION anpi_answer_tenant(p_broadcast uuid, p_recipient uuid)
  RETURNS uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $$
BEGIN
  RETURN (SELECT r.tenant_id FROM recipients r WHERE r.id = p_recipient AND r.broadcast_id = p_broadcast);
END
$$;

CREATE OR REPLACE FUNCTION anpi_line_links(p_key text, p_user text)
  RETURNS TABLE(tenant_id uuid, employee_id uuid)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    SELECT e.tenant_id, e.id
    FROM employees e JOIN tenants t ON t.id = e.tenant_id
    WHERE e.line_channel_key = p_key AND e.line_user_id = p_user AND e.erased_at IS NULL AND t.status = 'active';
END
$$;

CREATE OR REPLACE FUNCTION anpi_line_channel(p_key text)
  RETURNS TABLE(tenant_id uuid, tenant_status "TenantStatus", channel_secret text, access_token text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    SELECT cs.tenant_id, t.status, cs.line_channel_secret, cs.line_access_token
    FROM channel_settings cs JOIN tenants t ON t.id = cs.tenant_id
    WHERE cs.line_channel_id = p_key;
END
$$;

CREATE OR REPLACE FUNCTION anpi_short_link(p_code text)
  RETURNS TABLE(broadcast_id uuid, recipient_id uuid, expires_at timestamptz)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    SELECT s.broadcast_id, s.recipient_id, b.answer_expires_at
    FROM answer_short_links s JOIN broadcasts b ON b.id = s.broadcast_id
    WHERE s.code = p_code;
END
$$;
