import { bearer, Factory, PASSWORD } from './support/factories.js';
import { startTestApi, type TestApi } from './support/test-api.js';

describe('tenants (platform operator)', () => {
  let api: TestApi;
  let make: Factory;

  beforeAll(async () => {
    api = await startTestApi();
    make = new Factory(api);
  });
  afterAll(() => api.close());

  it('refuses every tenant route without the platform key, or with a wrong one', async () => {
    for (const headers of [{}, { Authorization: 'Bearer wrong-key' }, { Authorization: 'Basic abc' }]) {
      const res = await api.http().get('/v1/tenants').set(headers).expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'platform_key_required' });
      await api.http().post('/v1/tenants').set(headers).send({ slug: 'nope', name: 'x' }).expect(401);
    }
    expect((await api.owner('SELECT count(*)::int AS n FROM tenants')).rows[0].n).toBe(0);
  });

  it('refuses a tenant admin on platform routes', async () => {
    const { admin } = await make.tenantWithAdmin();
    await api.http().get('/v1/tenants').set(bearer(admin.accessToken)).expect(401);
  });

  it('creates, lists and reads tenants', async () => {
    const created = await api.http().post('/v1/tenants').set(make.platform()).send({ slug: 'Acme-Japan', name: '株式会社アクメ' }).expect(201);
    expect(created.body).toMatchObject({ slug: 'acme-japan', name: '株式会社アクメ', status: 'active', suspendedReason: null });

    const list = await api.http().get('/v1/tenants').set(make.platform()).expect(200);
    expect(list.body.map((t: { slug: string }) => t.slug)).toContain('acme-japan');
    await api.http().get(`/v1/tenants/${created.body.id}`).set(make.platform()).expect(200);
    await api.http().get('/v1/tenants/00000000-0000-4000-8000-000000000000').set(make.platform()).expect(404);
    const bad = await api.http().get('/v1/tenants/not-a-uuid').set(make.platform()).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'id', reason: 'id must be a UUID' }]);
  });

  it('refuses a taken company code with 409 and a malformed one with 400 naming the field', async () => {
    await make.tenant({ slug: 'taken' });
    const dup = await api.http().post('/v1/tenants').set(make.platform()).send({ slug: 'taken', name: 'again' }).expect(409);
    expect(dup.body).toMatchObject({ code: 'slug_taken' });

    const bad = await api.http().post('/v1/tenants').set(make.platform()).send({ slug: '-bad slug-', name: '', extra: 1 }).expect(400);
    const fields = bad.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['slug', 'name', 'extra']));
    expect(bad.body.message).toMatch(/slug must be/);
  });

  it("creates the tenant's first admin once, and only once", async () => {
    const tenant = await make.tenant();
    const first = await api
      .http()
      .post(`/v1/tenants/${tenant.id}/admins`)
      .set(make.platform())
      .send({ email: 'HR@Example.co.jp', name: '人事 太郎', password: PASSWORD })
      .expect(201);
    expect(first.body).toMatchObject({ email: 'hr@example.co.jp', role: 'admin', disabled: false });
    expect(first.body).not.toHaveProperty('passwordHash');

    const second = await api
      .http()
      .post(`/v1/tenants/${tenant.id}/admins`)
      .set(make.platform())
      .send({ email: 'other@example.co.jp', name: 'x', password: PASSWORD })
      .expect(409);
    expect(second.body.code).toBe('tenant_has_admin');
    await api
      .http()
      .post('/v1/tenants/00000000-0000-4000-8000-000000000000/admins')
      .set(make.platform())
      .send({ email: 'a@example.co.jp', name: 'x', password: PASSWORD })
      .expect(404);
    const weak = await api
      .http()
      .post(`/v1/tenants/${tenant.id}/admins`)
      .set(make.platform())
      .send({ email: 'a@example.co.jp', name: 'x', password: 'short' })
      .expect(400);
    expect(weak.body.errors).toEqual([{ field: 'password', reason: 'password must be at least 12 characters' }]);
  });

  describe('suspension', () => {
    it("refuses a suspended tenant's users with 403 and the reason, everywhere, until reactivated", async () => {
      const owner = await make.tenantWithAdmin();
      const key = await make.apiKey(owner, ['admin']);
      const reason = 'ご契約の更新手続き中です';

      const suspended = await api.http().post(`/v1/tenants/${owner.tenant.id}/suspend`).set(make.platform()).send({ reason }).expect(200);
      expect(suspended.body).toMatchObject({ status: 'suspended', suspendedReason: reason });

      for (const credential of [owner.admin.accessToken, key.key]) {
        const res = await api.http().get('/v1/users').set(bearer(credential)).expect(403);
        expect(res.body).toMatchObject({ code: 'tenant_suspended', reason });
        expect(res.body.message).toContain(reason);
      }
      const login = await api.http().post('/v1/auth/login').send({ tenant: owner.tenant.slug, email: owner.admin.email, password: PASSWORD }).expect(403);
      expect(login.body.code).toBe('tenant_suspended');
      await api.http().post('/v1/auth/refresh').send({ refreshToken: owner.admin.refreshToken }).expect(403);
      // A wrong password learns nothing about the suspension.
      await api.http().post('/v1/auth/login').send({ tenant: owner.tenant.slug, email: owner.admin.email, password: 'wrong password!!' }).expect(401);

      const listed = await api.http().get('/v1/tenants?status=suspended').set(make.platform()).expect(200);
      expect(listed.body.map((t: { id: string }) => t.id)).toContain(owner.tenant.id);

      await api.http().post(`/v1/tenants/${owner.tenant.id}/reactivate`).set(make.platform()).expect(200);
      await api.http().get('/v1/users').set(bearer(owner.admin.accessToken)).expect(200);
      await api.http().get('/v1/users').set(bearer(key.key)).expect(200);
    });

    it("writes the operator's actions to the tenant's own audit log", async () => {
      const owner = await make.tenantWithAdmin();
      await api.http().post(`/v1/tenants/${owner.tenant.id}/suspend`).set(make.platform()).send({ reason: 'test' }).expect(200);
      await api.http().post(`/v1/tenants/${owner.tenant.id}/reactivate`).set(make.platform()).expect(200);
      const res = await api.http().get('/v1/audit-log').set(bearer(owner.admin.accessToken)).expect(200);
      const platformEntries = res.body.items.filter((e: { actorType: string }) => e.actorType === 'platform');
      expect(platformEntries.map((e: { action: string }) => e.action).sort()).toEqual(
        ['tenant.create', 'tenant.reactivate', 'tenant.suspend', 'user.create'].sort(),
      );
      expect(platformEntries.every((e: { resourceId: string; resourceType: string }) => e.resourceType !== 'tenant' || e.resourceId === owner.tenant.id)).toBe(
        true,
      );
    });

    it('validates the suspension reason and refuses unknown tenants', async () => {
      const tenant = await make.tenant();
      const res = await api.http().post(`/v1/tenants/${tenant.id}/suspend`).set(make.platform()).send({}).expect(400);
      expect(res.body.errors[0].field).toBe('reason');
      await api.http().post('/v1/tenants/00000000-0000-4000-8000-000000000000/suspend').set(make.platform()).send({ reason: 'x' }).expect(404);
    });
  });
});
