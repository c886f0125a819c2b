import { bearer, DirectoryFactory, Factory, PASSWORD, type TenantWithAdmin } from './support/factories.js';
import { rotatedLongAgo } from './support/refresh-tokens.js';
import { startTestApi, type TestApi } from './support/test-api.js';

/** What the console needs of the API beyond what API clients use: cookie sessions, the launch preview, head counts. */
describe('the API behind the console', () => {
  let api: TestApi;
  let make: Factory;
  let owner: TenantWithAdmin;
  let sales: { id: string };

  beforeAll(async () => {
    api = await startTestApi();
    make = new Factory(api);
    owner = await make.tenantWithAdmin();
    const dir = new DirectoryFactory(api, owner);
    const hq = await dir.department('本社', undefined, 'HQ');
    const salesRow = await dir.department('営業部', hq, 'SALES');
    sales = salesRow;
    const first = await dir.department('第一課', salesRow, 'SALES1');
    await dir.employee({ code: 'S1', name: '佐藤 花子', departmentId: salesRow.id, emails: ['sato@example.jp'], mobiles: ['09012345678'] });
    await dir.employee({ code: 'S2', name: '鈴木 一郎', departmentId: first.id, emails: ['suzuki@example.jp'] });
    await dir.employee({ code: 'H1', name: '本田 三郎', departmentId: hq.id });
    await dir.employee({ code: 'X1', name: '退職 四郎', departmentId: first.id, emails: ['x@example.jp'], active: false });
  });
  afterAll(() => api.close());

  const cookieOf = (res: { headers: Record<string, unknown> }) => ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []).join('\n');

  describe('console sessions', () => {
    it('login sets the refresh token as an HttpOnly, Secure, SameSite=Strict cookie on the console auth path only', async () => {
      const res = await api.http().post('/v1/auth/console/login').send({ tenant: owner.tenant.slug, email: owner.admin.email, password: PASSWORD }).expect(200);
      expect(res.body).toMatchObject({ tokenType: 'Bearer', user: { email: owner.admin.email, role: 'admin' } });
      expect(res.body.refreshToken).toBeUndefined();
      const cookie = cookieOf(res);
      expect(cookie).toMatch(/^anpi_refresh=anpi_rt_[^;]+; Path=\/v1\/auth\/console; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$/);
      await api.http().get('/v1/auth/me').set(bearer(res.body.accessToken)).expect(200);
    });

    it('refresh reads the cookie and renews it; the spent cookie is refused; logout clears it', async () => {
      const first = await api
        .http()
        .post('/v1/auth/console/login')
        .send({ tenant: owner.tenant.slug, email: owner.admin.email, password: PASSWORD })
        .expect(200);
      const spent = cookieOf(first).split(';')[0]!;
      const renewed = await api.http().post('/v1/auth/console/refresh').set('Cookie', spent).expect(200);
      expect(renewed.body.accessToken).toEqual(expect.any(String));
      const next = cookieOf(renewed).split(';')[0]!;
      expect(next).not.toBe(spent);
      // Reuse of a spent refresh token ends the whole session (rotation), and the cookie is cleared.
      await rotatedLongAgo(api, spent.slice('anpi_refresh='.length));
      const reused = await api.http().post('/v1/auth/console/refresh').set('Cookie', spent).expect(401);
      expect(reused.body.code).toBe('invalid_session');
      expect(cookieOf(reused)).toMatch(/^anpi_refresh=; Path=\/v1\/auth\/console; Expires=Thu, 01 Jan 1970/);
      await api.http().post('/v1/auth/console/refresh').set('Cookie', next).expect(401);

      const again = await api
        .http()
        .post('/v1/auth/console/login')
        .send({ tenant: owner.tenant.slug, email: owner.admin.email, password: PASSWORD })
        .expect(200);
      const current = cookieOf(again).split(';')[0]!;
      const out = await api.http().post('/v1/auth/console/logout').set('Cookie', current).expect(204);
      expect(cookieOf(out)).toMatch(/^anpi_refresh=;/);
      await api.http().post('/v1/auth/console/refresh').set('Cookie', current).expect(401);
    });

    it('without a cookie: refresh is a 401 in words, logout a quiet 204', async () => {
      const res = await api.http().post('/v1/auth/console/refresh').expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'invalid_session', message: 'No console session: log in' });
      await api.http().post('/v1/auth/console/logout').expect(204);
    });

    it('wrong credentials and bad input are the same 401 / 400 as the API login', async () => {
      const wrong = await api.http().post('/v1/auth/console/login').send({ tenant: owner.tenant.slug, email: owner.admin.email, password: 'nope' }).expect(401);
      expect(wrong.body.code).toBe('invalid_credentials');
      expect(cookieOf(wrong)).toBe('');
      const bad = await api.http().post('/v1/auth/console/login').send({ tenant: 'Not A Code!', email: 'x', password: '' }).expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'password', 'tenant']);
    });
  });

  describe('launch preview', () => {
    it('shows what each channel says and to how many, and stores and sends nothing', async () => {
      const res = await api
        .http()
        .post('/v1/broadcasts/preview')
        .set(bearer(owner.admin.accessToken))
        .send({ templateId: 'preset:drill', targets: { departmentIds: [sales.id] }, channels: ['line', 'email', 'sms'] })
        .expect(200);
      expect(res.body).toMatchObject({ recipients: 2, unreachable: 0, drill: true, channels: ['line', 'email', 'sms'] });
      expect(res.body.displayTitle).toMatch(/^【訓練】/);
      expect(res.body.line).toMatchObject({ recipients: 0, messages: [{ type: 'flex' }] });
      expect(res.body.email).toMatchObject({ recipients: 2, subject: expect.stringContaining('【訓練】') });
      expect(res.body.email.text).toContain('佐藤 花子 さん');
      expect(res.body.sms).toMatchObject({ recipients: 1, segments: 1, encoding: 'UCS-2' });
      expect(res.body.sms.text).toMatch(/\/s\/[A-Za-z0-9]{14}$/);
      const { rows } = await api.owner('SELECT count(*)::int AS n FROM broadcasts WHERE tenant_id = $1', [owner.tenant.id]);
      expect(rows[0].n).toBe(0);
    });

    it('counts those no chosen channel reaches', async () => {
      const res = await api
        .http()
        .post('/v1/broadcasts/preview')
        .set(bearer(owner.admin.accessToken))
        .send({ templateId: 'preset:earthquake', targets: { all: true }, channels: ['sms'] })
        .expect(200);
      expect(res.body).toMatchObject({ recipients: 3, unreachable: 2, drill: false, sms: { recipients: 1 } });
      expect(res.body.line).toBeUndefined();
      expect(res.body.email).toBeUndefined();
    });

    it('refuses what a launch refuses, with the field, and is for admins only', async () => {
      const bad = await api
        .http()
        .post('/v1/broadcasts/preview')
        .set(bearer(owner.admin.accessToken))
        .send({ templateId: 'preset:drill', targets: {} })
        .expect(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'targets' })]);
      const other = await make.tenantWithAdmin();
      const foreign = await api
        .http()
        .post('/v1/broadcasts/preview')
        .set(bearer(other.admin.accessToken))
        .send({ templateId: 'preset:drill', targets: { departmentIds: [sales.id] } })
        .expect(400);
      expect(foreign.body.errors).toEqual([expect.objectContaining({ field: 'targets.departmentIds' })]);
      const head = await make.user(owner, 'department_head');
      await api
        .http()
        .post('/v1/broadcasts/preview')
        .set(bearer(head.accessToken))
        .send({ templateId: 'preset:drill', targets: { all: true } })
        .expect(403);
    });
  });

  it('lists departments with head counts rolled up their subtrees (active employees only)', async () => {
    const res = await api.http().get('/v1/departments').set(bearer(owner.admin.accessToken)).expect(200);
    expect(Object.fromEntries(res.body.map((d: { code: string; headcount: number }) => [d.code, d.headcount]))).toEqual({ HQ: 3, SALES: 2, SALES1: 1 });
  });

  it('gives a broadcast its questions, for the tally labels and proxy answers', async () => {
    const launched = await api
      .http()
      .post('/v1/broadcasts')
      .set(bearer(owner.admin.accessToken))
      .send({ templateId: 'preset:earthquake', targets: { all: true }, channels: ['email'] })
      .expect(202);
    expect(launched.body.questions.map((q: { id: string }) => q.id)).toEqual(['self', 'family', 'home', 'work']);
    expect(launched.body.questions[0].options[0]).toMatchObject({ id: 'safe', label: '無事' });
  });
});
