import { bearer, Factory, PASSWORD, type Session, type TenantWithAdmin } from './support/factories.js';
import { startTestApi, type TestApi } from './support/test-api.js';

describe('roles, users and API keys', () => {
  let api: TestApi;
  let make: Factory;
  let owner: TenantWithAdmin;
  let maintainer: Session;
  let head: Session;

  beforeAll(async () => {
    api = await startTestApi();
    make = new Factory(api);
    owner = await make.tenantWithAdmin();
    maintainer = await make.user(owner, 'maintainer');
    head = await make.user(owner, 'department_head');
  });
  afterAll(() => api.close());

  const adminOnly: [string, string, object?][] = [
    ['get', '/v1/users'],
    ['post', '/v1/users', { email: 'x@example.co.jp', name: 'x', role: 'maintainer', password: PASSWORD }],
    ['get', '/v1/users/00000000-0000-4000-8000-000000000000'],
    ['patch', '/v1/users/00000000-0000-4000-8000-000000000000', { name: 'x' }],
    ['delete', '/v1/users/00000000-0000-4000-8000-000000000000'],
    ['get', '/v1/api-keys'],
    ['post', '/v1/api-keys', { name: 'k', roles: ['admin'] }],
    ['delete', '/v1/api-keys/00000000-0000-4000-8000-000000000000'],
    ['get', '/v1/audit-log'],
  ];

  it.each(['maintainer', 'department_head'] as const)('refuses a %s on every admin route with 403 and the reason', async (role) => {
    const session = role === 'maintainer' ? maintainer : head;
    for (const [method, path, body] of adminOnly) {
      const res = await api.http()[method as 'get'](path).set(bearer(session.accessToken)).send(body);
      expect({ path, method, status: res.status }).toEqual({ path, method, status: 403 });
      expect(res.body).toMatchObject({ code: 'role_not_allowed', message: 'This action needs the role admin' });
    }
    expect((await api.owner('SELECT count(*)::int AS n FROM users WHERE email = $1', ['x@example.co.jp'])).rows[0].n).toBe(0);
  });

  it('lets every role see who it is', async () => {
    for (const session of [owner.admin, maintainer, head]) await api.http().get('/v1/auth/me').set(bearer(session.accessToken)).expect(200);
  });

  describe('users', () => {
    it('creates, reads, updates and deletes users, with audit entries', async () => {
      const created = await api
        .http()
        .post('/v1/users')
        .set(bearer(owner.admin.accessToken))
        .send({ email: 'Sato@Example.co.jp', name: '佐藤 一郎', role: 'maintainer', password: PASSWORD })
        .expect(201);
      expect(created.body).toMatchObject({ email: 'sato@example.co.jp', role: 'maintainer', disabled: false, lastLoginAt: null });
      const id = created.body.id as string;

      await api.http().get(`/v1/users/${id}`).set(bearer(owner.admin.accessToken)).expect(200);
      const updated = await api
        .http()
        .patch(`/v1/users/${id}`)
        .set(bearer(owner.admin.accessToken))
        .send({ role: 'department_head', name: '佐藤 一朗' })
        .expect(200);
      expect(updated.body).toMatchObject({ role: 'department_head', name: '佐藤 一朗' });

      const list = await api.http().get('/v1/users?role=department_head').set(bearer(owner.admin.accessToken)).expect(200);
      expect(list.body.map((u: { id: string }) => u.id)).toContain(id);
      expect(list.body.every((u: { role: string }) => u.role === 'department_head')).toBe(true);

      await api.http().delete(`/v1/users/${id}`).set(bearer(owner.admin.accessToken)).expect(204);
      await api.http().get(`/v1/users/${id}`).set(bearer(owner.admin.accessToken)).expect(404);

      const audit = await api.http().get(`/v1/audit-log?resourceType=user&resourceId=${id}`).set(bearer(owner.admin.accessToken)).expect(200);
      expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['user.delete', 'user.update', 'user.create']);
      expect(audit.body.items[1].details).toEqual({ fields: ['name', 'role'], role: { from: 'maintainer', to: 'department_head' } });
      expect(audit.body.items.every((e: { actorId: string }) => e.actorId === owner.admin.user.id)).toBe(true);
    });

    it('refuses a duplicate email with 409, bad input with 400 naming each field', async () => {
      const dup = await api
        .http()
        .post('/v1/users')
        .set(bearer(owner.admin.accessToken))
        .send({ email: maintainer.email, name: 'x', role: 'maintainer', password: PASSWORD })
        .expect(409);
      expect(dup.body.code).toBe('email_taken');
      const bad = await api
        .http()
        .post('/v1/users')
        .set(bearer(owner.admin.accessToken))
        .send({ email: 'not-an-email', name: '', role: 'boss', password: 'short', isRoot: true })
        .expect(400);
      expect(bad.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'email', reason: 'email must be an email address' },
          { field: 'name', reason: 'name must not be empty' },
          { field: 'role', reason: 'role must be one of admin, maintainer, department_head' },
          { field: 'password', reason: 'password must be at least 12 characters' },
          { field: 'isRoot', reason: 'property isRoot should not exist' },
        ]),
      );
    });

    it('never leaves a tenant without an active admin, and an admin cannot disable or delete themselves', async () => {
      const lone = await make.tenantWithAdmin();
      const self = lone.admin.user.id;
      const demote = await api.http().patch(`/v1/users/${self}`).set(bearer(lone.admin.accessToken)).send({ role: 'maintainer' }).expect(409);
      expect(demote.body.code).toBe('last_admin');
      await api.http().patch(`/v1/users/${self}`).set(bearer(lone.admin.accessToken)).send({ disabled: true }).expect(409);
      await api.http().delete(`/v1/users/${self}`).set(bearer(lone.admin.accessToken)).expect(409);

      const second = await make.user(lone, 'admin');
      await api.http().patch(`/v1/users/${self}`).set(bearer(second.accessToken)).send({ role: 'maintainer' }).expect(200);
      const last = await api.http().delete(`/v1/users/${second.user.id}`).set(bearer(second.accessToken)).expect(409);
      expect(last.body.code).toBe('self');
    });

    it('resets a password for a user, ending their sessions', async () => {
      const user = await make.user(owner, 'maintainer');
      await api.http().patch(`/v1/users/${user.user.id}`).set(bearer(owner.admin.accessToken)).send({ password: 'reset by the admin 1' }).expect(200);
      await api.http().post('/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
      await make.login(owner.tenant.slug, user.email, 'reset by the admin 1');
    });
  });

  describe('API keys', () => {
    it('shows a key once, stores only its hash, and lets it act with its roles only', async () => {
      const created = await api
        .http()
        .post('/v1/api-keys')
        .set(bearer(owner.admin.accessToken))
        .send({ name: 'HR sync', roles: ['maintainer'] })
        .expect(201);
      const key = created.body.key as string;
      expect(key).toMatch(/^anpi_sk_/);

      const list = await api.http().get('/v1/api-keys').set(bearer(owner.admin.accessToken)).expect(200);
      const listed = list.body.find((k: { id: string }) => k.id === created.body.id);
      expect(listed).toMatchObject({ name: 'HR sync', roles: ['maintainer'], revokedAt: null });
      expect(listed).not.toHaveProperty('key');
      expect(JSON.stringify(list.body)).not.toContain(key);
      const stored = await api.owner('SELECT key_hash FROM api_keys WHERE id = $1', [created.body.id]);
      expect(stored.rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(stored.rows)).not.toContain(key.slice(-43));

      const me = await api.http().get('/v1/auth/me').set(bearer(key)).expect(200);
      expect(me.body).toEqual({ kind: 'api_key', tenantId: owner.tenant.id, apiKeyId: created.body.id, roles: ['maintainer'] });
      await api.http().get('/v1/users').set(bearer(key)).expect(403);
      await api.http().post('/v1/auth/password').set(bearer(key)).send({ currentPassword: 'x', newPassword: 'a sound new passphrase' }).expect(403);
    });

    it('admits an admin key to admin routes, and refuses any key once revoked', async () => {
      const key = await make.apiKey(owner, ['admin']);
      await api.http().get('/v1/users').set(bearer(key.key)).expect(200);
      await api.http().delete(`/v1/api-keys/${key.id}`).set(bearer(owner.admin.accessToken)).expect(204);
      const refused = await api.http().get('/v1/users').set(bearer(key.key)).expect(401);
      expect(refused.body.message).toMatch(/invalid or revoked/);
      await api.http().delete(`/v1/api-keys/${key.id}`).set(bearer(owner.admin.accessToken)).expect(204);
      await api.http().delete('/v1/api-keys/00000000-0000-4000-8000-000000000000').set(bearer(owner.admin.accessToken)).expect(404);
      const audit = await api.http().get(`/v1/audit-log?resourceType=api_key&resourceId=${key.id}`).set(bearer(owner.admin.accessToken)).expect(200);
      expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['api_key.revoke', 'api_key.create']);
    });

    it('refuses keys for department heads and keys without roles', async () => {
      const res = await api
        .http()
        .post('/v1/api-keys')
        .set(bearer(owner.admin.accessToken))
        .send({ name: 'k', roles: ['department_head'] })
        .expect(400);
      expect(res.body.errors[0]).toEqual({ field: 'roles', reason: 'each role must be admin or maintainer' });
      await api.http().post('/v1/api-keys').set(bearer(owner.admin.accessToken)).send({ name: 'k', roles: [] }).expect(400);
    });
  });

  describe('audit log', () => {
    it('pages newest first with a cursor and rejects a forged cursor', async () => {
      const first = await api.http().get('/v1/audit-log?limit=2').set(bearer(owner.admin.accessToken)).expect(200);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await api.http().get(`/v1/audit-log?limit=2&cursor=${first.body.nextCursor}`).set(bearer(owner.admin.accessToken)).expect(200);
      const ids = [...first.body.items, ...second.body.items].map((e: { id: string }) => e.id);
      expect(new Set(ids).size).toBe(4);
      const times = [...first.body.items, ...second.body.items].map((e: { occurredAt: string }) => e.occurredAt);
      expect([...times].sort().reverse()).toEqual(times);
      await api.http().get('/v1/audit-log?cursor=forged').set(bearer(owner.admin.accessToken)).expect(400);
      await api.http().get('/v1/audit-log?limit=1000').set(bearer(owner.admin.accessToken)).expect(400);
    });
  });
});
