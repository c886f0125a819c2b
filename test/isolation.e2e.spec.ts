import { ONE_SNAPSHOT, PlatformDb, PrismaService, TenantDb, asTenantId, type TenantId, type Tx } from '#anpi/db';
import { bearer, Factory, PASSWORD, type TenantWithAdmin } from './support/factories.js';
import { startTestApi, type TestApi } from './support/test-api.js';

/**
 * Tenant A must never see, change or delete tenant B's rows. These tests would fail with
 * row-level security switched off: the data-layer queries below deliberately omit their
 * `where tenantId`.
 */
describe('tenant isolation', () => {
  let api: TestApi;
  let a: TenantWithAdmin;
  let b: TenantWithAdmin;
  let bUserId: string;
  let db: TenantDb;
  let A: TenantId;
  let B: TenantId;

  beforeAll(async () => {
    api = await startTestApi();
    const make = new Factory(api);
    [a, b] = await Promise.all([make.tenantWithAdmin(), make.tenantWithAdmin()]);
    bUserId = (await make.user(b, 'maintainer')).user.id;
    await make.apiKey(b, ['admin']);
    db = api.app.get(TenantDb);
    A = asTenantId(a.tenant.id);
    B = asTenantId(b.tenant.id);
    // Directory rows for both tenants, written as the owner.
    for (const t of [a, b]) {
      const dept = await api.owner(
        `INSERT INTO departments (id, tenant_id, code, name, path, updated_at) VALUES (gen_random_uuid(), $1, 'HQ', '本社', '{}', now()) RETURNING id`,
        [t.tenant.id],
      );
      await api.owner(
        `INSERT INTO employees (id, tenant_id, code, name, department_id, emails, mobiles, updated_at)
          VALUES (gen_random_uuid(), $1, 'E001', $2, $3, '{}', '{}', now())`,
        [t.tenant.id, t === a ? '社員 A' : '社員 B', dept.rows[0].id],
      );
      await api.owner(
        `INSERT INTO employee_departments (tenant_id, employee_id, department_id) SELECT tenant_id, id, department_id FROM employees WHERE tenant_id = $1`,
        [t.tenant.id],
      );
      await api.owner(
        `INSERT INTO user_departments (tenant_id, user_id, department_id) SELECT u.tenant_id, u.id, $2
          FROM users u WHERE u.tenant_id = $1 AND u.role = 'admin'`,
        [t.tenant.id, dept.rows[0].id],
      );
    }
  });
  afterAll(() => api.close());

  describe('through the API', () => {
    it("answers 404 for another tenant's user, and changes nothing", async () => {
      const admin = bearer(a.admin.accessToken);
      await api.http().get(`/v1/users/${bUserId}`).set(admin).expect(404);
      await api.http().patch(`/v1/users/${bUserId}`).set(admin).send({ name: 'hijacked', role: 'admin' }).expect(404);
      await api.http().delete(`/v1/users/${bUserId}`).set(admin).expect(404);
      const row = await api.owner('SELECT name, role FROM users WHERE id = $1', [bUserId]);
      expect(row.rows[0]).toEqual({ name: 'maintainer 花子', role: 'maintainer' });
    });

    it("lists only the caller's own users, keys and audit entries", async () => {
      const admin = bearer(a.admin.accessToken);
      const users = await api.http().get('/v1/users').set(admin).expect(200);
      expect(users.body.map((u: { id: string }) => u.id)).toEqual([a.admin.user.id]);
      const keys = await api.http().get('/v1/api-keys').set(admin).expect(200);
      expect(keys.body).toEqual([]);
      const audit = await api.http().get('/v1/audit-log?limit=200').set(admin).expect(200);
      const bIds = new Set([b.tenant.id, b.admin.user.id, bUserId]);
      expect(audit.body.items.some((e: { resourceId: string; actorId: string }) => bIds.has(e.resourceId) || bIds.has(e.actorId))).toBe(false);
    });

    it("cannot revoke another tenant's API key", async () => {
      const bKey = await api.owner('SELECT id FROM api_keys WHERE tenant_id = $1', [b.tenant.id]);
      await api.http().delete(`/v1/api-keys/${bKey.rows[0].id}`).set(bearer(a.admin.accessToken)).expect(404);
      const after = await api.owner('SELECT revoked_at FROM api_keys WHERE id = $1', [bKey.rows[0].id]);
      expect(after.rows[0].revoked_at).toBeNull();
    });

    it('cannot use a refresh token rewritten to name another tenant', async () => {
      const forged = a.admin.refreshToken.replace(a.tenant.id.replaceAll('-', ''), b.tenant.id.replaceAll('-', ''));
      await api.http().post('/v1/auth/refresh').send({ refreshToken: forged }).expect(401);
    });

    it('keeps the same email apart in two tenants', async () => {
      await api
        .http()
        .post('/v1/users')
        .set(bearer(a.admin.accessToken))
        .send({ email: b.admin.email, name: 'same email', role: 'maintainer', password: PASSWORD })
        .expect(201);
      const res = await api.http().post('/v1/auth/login').send({ tenant: a.tenant.slug, email: b.admin.email, password: PASSWORD }).expect(200);
      expect(res.body.user.tenantId).toBe(a.tenant.id);
    });
  });

  describe('in the database, for queries that forget their tenant filter', () => {
    it('reads only the current tenant, from every tenant-owned table', async () => {
      const seen = await db.run(A, async (tx) => ({
        users: await tx.user.findMany(),
        refreshTokens: await tx.refreshToken.findMany(),
        apiKeys: await tx.apiKey.findMany(),
        audit: await tx.auditEntry.findMany(),
        departments: await tx.department.findMany(),
        employees: await tx.employee.findMany(),
        employeeDepartments: await tx.employeeDepartment.findMany(),
        userDepartments: await tx.userDepartment.findMany(),
        tenants: await tx.tenant.findMany(),
      }));
      for (const [table, rows] of Object.entries(seen)) {
        const foreign = (rows as { tenantId?: string; id: string }[]).filter((r) => (r.tenantId ?? r.id) !== A);
        expect({ table, foreign }).toEqual({ table, foreign: [] });
      }
      expect(seen.employees.map((e) => e.name)).toEqual(['社員 A']);
      expect(seen.employeeDepartments).toHaveLength(1);
      expect(seen.userDepartments).toHaveLength(1);
      expect(seen.tenants.map((t) => t.id)).toEqual([A]);
      expect(seen.users.length).toBeGreaterThan(0);
    });

    it("cannot update or delete the other tenant's rows, even by id", async () => {
      const counts = await db.run(A, async (tx) => ({
        update: (await tx.user.updateMany({ where: { id: bUserId }, data: { name: 'pwned' } })).count,
        updateAll: (await tx.employee.updateMany({ data: { name: 'pwned' } })).count,
        deleteUser: (await tx.user.deleteMany({ where: { id: bUserId } })).count,
        deleteAllKeys: (await tx.apiKey.deleteMany({})).count,
      }));
      expect(counts).toEqual({ update: 0, updateAll: 1, deleteUser: 0, deleteAllKeys: 0 });
      const bRows = await api.owner(
        'SELECT (SELECT name FROM users WHERE id = $1) AS user_name, ' +
          '(SELECT name FROM employees WHERE tenant_id = $2) AS employee_name, (SELECT count(*)::int FROM api_keys WHERE tenant_id = $2) AS keys',
        [bUserId, B],
      );
      expect(bRows.rows[0]).toEqual({ user_name: 'maintainer 花子', employee_name: '社員 B', keys: 1 });
    });

    it('refuses to insert a row for another tenant, or move a row to it', async () => {
      await expect(db.run(A, (tx) => tx.employee.create({ data: { tenantId: B, code: 'X1', name: 'planted' } }))).rejects.toThrow();
      await expect(db.run(A, (tx) => tx.employee.updateMany({ data: { tenantId: B } }))).rejects.toThrow();
      await expect(db.run(A, (tx) => tx.auditEntry.create({ data: { tenantId: B, actorType: 'system', action: 'x.y', resourceType: 'x' } }))).rejects.toThrow();
      const planted = await api.owner(
        "SELECT count(*)::int AS n FROM employees WHERE name = 'planted' OR tenant_id = $1 AND code = 'E001' AND name <> '社員 B'",
        [B],
      );
      expect(planted.rows[0].n).toBe(0);
    });

    it('sees nothing at all without a tenant, and the platform context sees tenants but nothing inside them', async () => {
      const prisma = api.app.get(PrismaService);
      expect(await prisma.user.count()).toBe(0);
      expect(await prisma.employee.count()).toBe(0);
      expect(await prisma.tenant.count()).toBe(0);
      const platform = await api.app
        .get(PlatformDb)
        .run(async (tx) => ({ tenants: await tx.tenant.count(), users: await tx.user.count(), audit: await tx.auditEntry.count() }));
      expect(platform).toEqual({ tenants: 2, users: 0, audit: 0 });
    });

    it('keeps the audit log append-only for the application', async () => {
      await expect(db.run(A, (tx) => tx.auditEntry.updateMany({ data: { action: 'forged.entry' } }))).rejects.toThrow(/permission denied/);
      await expect(db.run(A, (tx) => tx.auditEntry.deleteMany({}))).rejects.toThrow(/permission denied/);
    });
  });

  describe('the database set-up itself', () => {
    it('reads a page and its total from one snapshot (ONE_SNAPSHOT), whatever commits between them', async () => {
      const count = (tx: Tx) => tx.employee.count();
      const addOne = () =>
        api.owner(
          `INSERT INTO employees (id, tenant_id, code, name, department_id, emails, mobiles, updated_at)
           SELECT gen_random_uuid(), tenant_id, 'SNAP-' || gen_random_uuid(), '社員', department_id, '{}', '{}', now()
           FROM employees WHERE tenant_id = $1 LIMIT 1`,
          [a.tenant.id],
        );
      const seen = async (options?: typeof ONE_SNAPSHOT) =>
        db.run(
          A,
          async (tx) => {
            const before = await count(tx);
            await addOne(); // committed by another connection between the two reads
            return (await count(tx)) - before;
          },
          options,
        );
      expect(await seen()).toBe(1); // READ COMMITTED: each statement its own snapshot
      expect(await seen(ONE_SNAPSHOT)).toBe(0);
      await api.owner(`DELETE FROM employees WHERE tenant_id = $1 AND code LIKE 'SNAP-%'`, [a.tenant.id]);
    });

    it('connects as a role that neither is a superuser nor bypasses row-level security', async () => {
      const prisma = api.app.get(PrismaService);
      const [role] = await prisma.$queryRaw<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }[]>`
        SELECT rolname::text AS rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`;
      expect(role).toEqual({ rolname: 'anpi_app', rolsuper: false, rolbypassrls: false });
    });

    it('has row-level security enabled, forced and with a policy on every table with a tenant_id', async () => {
      const tables = await api.owner(`
        SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
               (SELECT count(*)::int FROM pg_policies p WHERE p.tablename = c.relname) AS policies
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'
          AND (EXISTS (SELECT 1 FROM information_schema.columns col WHERE col.table_name = c.relname AND col.column_name = 'tenant_id')
            OR c.relname = 'tenants')
        ORDER BY 1`);
      expect(tables.rows.length).toBeGreaterThanOrEqual(9);
      for (const t of tables.rows) expect(t).toEqual({ table: t.table, enabled: true, forced: true, policies: expect.any(Number) });
      expect(tables.rows.every((t: { policies: number }) => t.policies > 0)).toBe(true);
    });
  });
});
