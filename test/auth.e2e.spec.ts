import { bearer, Factory, PASSWORD, type TenantWithAdmin } from './support/factories.js';
import { rotatedLongAgo } from './support/refresh-tokens.js';
import { startTestApi, type TestApi } from './support/test-api.js';

describe('authentication', () => {
  let api: TestApi;
  let make: Factory;
  let owner: TenantWithAdmin;

  beforeAll(async () => {
    api = await startTestApi({ LOGIN_MAX_FAILURES: '3', LOGIN_FAILURE_WINDOW_SECONDS: '60' });
    make = new Factory(api);
    owner = await make.tenantWithAdmin();
  });
  afterAll(() => api.close());

  const login = (body: object) => api.http().post('/v1/auth/login').send(body);

  it('logs in with company code, email and password and returns a short-lived token pair', async () => {
    const res = await login({ tenant: owner.tenant.slug.toUpperCase(), email: owner.admin.email.toUpperCase(), password: PASSWORD }).expect(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { email: owner.admin.email, role: 'admin', tenantId: owner.tenant.id } });
    expect(res.body.refreshToken).toMatch(/^anpi_rt_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    const me = await api.http().get('/v1/auth/me').set(bearer(res.body.accessToken)).expect(200);
    expect(me.body).toEqual({ kind: 'user', tenantId: owner.tenant.id, userId: owner.admin.user.id, roles: ['admin'] });
  });

  it('answers a wrong password, an unknown email and an unknown company code identically', async () => {
    const other = await make.tenantWithAdmin();
    const answers = await Promise.all([
      login({ tenant: other.tenant.slug, email: other.admin.email, password: 'not the password' }),
      login({ tenant: other.tenant.slug, email: 'nobody@example.co.jp', password: 'not the password' }),
      login({ tenant: 'no-such-company', email: other.admin.email, password: PASSWORD }),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'invalid_credentials', message: 'Invalid company code, email or password' });
    }
  });

  it('throttles repeated failures for an account, with Retry-After, even for the right password', async () => {
    const victim = await make.tenantWithAdmin();
    for (let i = 0; i < 3; i++) await login({ tenant: victim.tenant.slug, email: victim.admin.email, password: `guess number ${i}` }).expect(401);
    const blocked = await login({ tenant: victim.tenant.slug, email: victim.admin.email, password: PASSWORD }).expect(429);
    expect(blocked.body.code).toBe('login_throttled');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another account is not affected.
    await login({ tenant: owner.tenant.slug, email: owner.admin.email, password: PASSWORD }).expect(200);
  });

  it('rotates refresh tokens: the new one works, the spent one revokes the whole session', async () => {
    const session = await make.login(owner.tenant.slug, owner.admin.email, PASSWORD);
    const first = await api.http().post('/v1/auth/refresh').send({ refreshToken: session.refreshToken }).expect(200);
    expect(first.body.refreshToken).not.toBe(session.refreshToken);
    await api.http().get('/v1/auth/me').set(bearer(first.body.accessToken)).expect(200);

    const second = await api.http().post('/v1/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(200);
    await rotatedLongAgo(api, session.refreshToken);
    // Replaying a spent token is theft or a bug: the session ends, including its newest token.
    const replay = await api.http().post('/v1/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
    expect(replay.body.code).toBe('invalid_session');
    await api.http().post('/v1/auth/refresh').send({ refreshToken: second.body.refreshToken }).expect(401);

    const audit = await api.http().get('/v1/audit-log?action=auth.refresh_reuse_detected').set(bearer(owner.admin.accessToken)).expect(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0].details).toEqual({ revokedSessions: 1 });
  });

  it('takes a token rotated moments ago as a race, not a copy, while its session is live', async () => {
    const session = await make.login(owner.tenant.slug, owner.admin.email, PASSWORD);
    // A tab reloaded mid-refresh, or two tabs at once: the same token twice, concurrently and just after.
    const [a, b] = await Promise.all([0, 1].map(() => api.http().post('/v1/auth/refresh').send({ refreshToken: session.refreshToken })));
    const late = await api.http().post('/v1/auth/refresh').send({ refreshToken: session.refreshToken });
    expect([a!.status, b!.status, late.status]).toEqual([200, 200, 200]);
    const successors = new Set([a!.body.refreshToken, b!.body.refreshToken, late.body.refreshToken]);
    expect(successors.size).toBe(3);
    for (const refreshToken of successors) await api.http().post('/v1/auth/refresh').send({ refreshToken }).expect(200);
    const audit = await api.http().get('/v1/audit-log?action=auth.refresh_reuse_detected').set(bearer(owner.admin.accessToken)).expect(200);
    expect(audit.body.items).toHaveLength(1); // the one from the replay test above, none from here

    // Once the session has ended, even a token rotated a moment ago is refused.
    const ended = await make.login(owner.tenant.slug, owner.admin.email, PASSWORD);
    const next = await api.http().post('/v1/auth/refresh').send({ refreshToken: ended.refreshToken }).expect(200);
    await api.http().post('/v1/auth/logout').send({ refreshToken: next.body.refreshToken }).expect(204);
    await api.http().post('/v1/auth/refresh').send({ refreshToken: ended.refreshToken }).expect(401);
  });

  it('refuses malformed, forged and unknown refresh tokens', async () => {
    const forged = `anpi_rt_${owner.tenant.id.replaceAll('-', '')}_${'A'.repeat(43)}`;
    for (const refreshToken of ['garbage', forged, 'anpi_rt_00000000000000000000000000000000_' + 'B'.repeat(43)]) {
      await api.http().post('/v1/auth/refresh').send({ refreshToken }).expect(401);
    }
    await api.http().post('/v1/auth/refresh').send({}).expect(400);
  });

  it('logs out: the refresh token stops working, and logout is quiet about unknown tokens', async () => {
    const session = await make.login(owner.tenant.slug, owner.admin.email, PASSWORD);
    await api.http().post('/v1/auth/logout').send({ refreshToken: session.refreshToken }).expect(204);
    await api.http().post('/v1/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
    await api.http().post('/v1/auth/logout').send({ refreshToken: session.refreshToken }).expect(204);
    await api.http().post('/v1/auth/logout').send({ refreshToken: 'garbage' }).expect(204);
  });

  it('refuses missing, malformed, forged and expired access tokens', async () => {
    await api.http().get('/v1/auth/me').expect(401);
    await api.http().get('/v1/auth/me').set({ Authorization: 'Bearer not.a.jwt' }).expect(401);
    const [header, payload] = owner.admin.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const tampered = Buffer.from(JSON.stringify({ ...claims, role: 'admin', tid: '00000000-0000-4000-8000-000000000000' })).toString('base64url');
    await api
      .http()
      .get('/v1/auth/me')
      .set(bearer(`${header}.${tampered}.${owner.admin.accessToken.split('.')[2]}`))
      .expect(401);

    // 3 s: long enough for the first call to land on a loaded machine; waited out after it.
    const shortLived = await startTestApi({ ACCESS_TOKEN_TTL_SECONDS: '3' });
    try {
      const tenant = await new Factory(shortLived).tenantWithAdmin();
      await shortLived.http().get('/v1/auth/me').set(bearer(tenant.admin.accessToken)).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 3_100));
      const expired = await shortLived.http().get('/v1/auth/me').set(bearer(tenant.admin.accessToken)).expect(401);
      expect(expired.body.message).toMatch(/invalid or expired/);
    } finally {
      await shortLived.close();
    }
  });

  it('ends access at once when a user is disabled, and their sessions with it', async () => {
    const maintainer = await make.user(owner, 'maintainer');
    await api.http().get('/v1/auth/me').set(bearer(maintainer.accessToken)).expect(200);
    await api.http().patch(`/v1/users/${maintainer.user.id}`).set(bearer(owner.admin.accessToken)).send({ disabled: true }).expect(200);
    await api.http().get('/v1/auth/me').set(bearer(maintainer.accessToken)).expect(401);
    await api.http().post('/v1/auth/refresh').send({ refreshToken: maintainer.refreshToken }).expect(401);
    await login({ tenant: owner.tenant.slug, email: maintainer.email, password: PASSWORD }).expect(401);
  });

  it('changes a password: the old one stops working and every session ends', async () => {
    const user = await make.user(owner, 'maintainer');
    const wrong = await api
      .http()
      .post('/v1/auth/password')
      .set(bearer(user.accessToken))
      .send({ currentPassword: 'nope nope nope', newPassword: 'a brand new passphrase' })
      .expect(400);
    expect(wrong.body.errors[0].field).toBe('currentPassword');
    await api
      .http()
      .post('/v1/auth/password')
      .set(bearer(user.accessToken))
      .send({ currentPassword: PASSWORD, newPassword: 'a brand new passphrase' })
      .expect(204);
    await api.http().post('/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
    await login({ tenant: owner.tenant.slug, email: user.email, password: PASSWORD }).expect(401);
    await login({ tenant: owner.tenant.slug, email: user.email, password: 'a brand new passphrase' }).expect(200);
  });

  it('writes logins, failures and logouts to the audit log, without secrets', async () => {
    const tenant = await make.tenantWithAdmin();
    await login({ tenant: tenant.tenant.slug, email: tenant.admin.email, password: 'a wrong password' }).expect(401);
    await api.http().post('/v1/auth/logout').send({ refreshToken: tenant.admin.refreshToken }).expect(204);
    const res = await api.http().get('/v1/audit-log').set(bearer(tenant.admin.accessToken)).expect(200);
    const actions = res.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.login', 'auth.login_failed', 'auth.logout']));
    const failed = res.body.items.find((e: { action: string }) => e.action === 'auth.login_failed');
    expect(failed).toMatchObject({ actorType: 'user', resourceId: tenant.admin.user.id, details: { reason: 'wrong_password' } });
    expect(JSON.stringify(res.body)).not.toMatch(/a wrong password|anpi_rt_|@example/);
  });
});
