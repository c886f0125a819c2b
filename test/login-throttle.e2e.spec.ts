import { bearer, Factory, PASSWORD, type TenantWithAdmin } from './support/factories.js';
import { startTestApi, type TestApi } from './support/test-api.js';

/** Brute force is kept out, and a stranger who knows an admin's email cannot lock the admin out. */
describe('login throttling and password rules', () => {
  let api: TestApi;
  let make: Factory;
  let owner: TenantWithAdmin;

  beforeAll(async () => {
    api = await startTestApi({
      LOGIN_MAX_FAILURES: '3',
      LOGIN_MAX_FAILURES_PER_IP: '8',
      LOGIN_FAILURE_WINDOW_SECONDS: '60',
      LOGIN_SLOWDOWN_MS: '300',
      TRUST_PROXY: 'true',
    });
    make = new Factory(api);
    owner = await make.tenantWithAdmin();
  });
  afterAll(() => api.close());

  const login = (from: string, body: object) => api.http().post('/v1/auth/login').set('X-Forwarded-For', from).send(body);

  it('refuses the attacking address, slows but never refuses the owner from another address, and audits both', async () => {
    const victim = await make.tenantWithAdmin();
    const account = { tenant: victim.tenant.slug, email: victim.admin.email };
    for (let i = 0; i < 3; i++) await login('203.0.113.7', { ...account, password: `guess number ${i}` }).expect(401);
    // The attacker's address is refused for this account, even with the right password…
    const refused = await login('203.0.113.7', { ...account, password: PASSWORD }).expect(429);
    expect(refused.body.code).toBe('login_throttled');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // …while the owner, from an address that has not failed, gets in after a pause.
    const started = Date.now();
    await login('198.51.100.20', { ...account, password: PASSWORD }).expect(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    // More failures from fresh addresses never lock the owner out either.
    for (let i = 0; i < 4; i++) await login(`192.0.2.${i + 1}`, { ...account, password: 'still guessing' }).expect(401);
    await login('198.51.100.20', { ...account, password: PASSWORD }).expect(200);

    const audit = await api.http().get('/v1/audit-log?resourceType=user').set(bearer(victim.admin.accessToken)).expect(200);
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toContain('auth.login_throttled');
    expect(actions).toContain('auth.login_slowed');
    const throttled = audit.body.items.find((e: { action: string }) => e.action === 'auth.login_throttled');
    expect(throttled.details).toMatchObject({ scope: 'account_address', address: '203.0.113.7' });
  });

  it('refuses an address that fails too often across accounts', async () => {
    for (let i = 0; i < 8; i++)
      await login('203.0.113.99', { tenant: owner.tenant.slug, email: `nobody${i}@example.jp`, password: 'wrong wrong wrong' }).expect(401);
    const res = await login('203.0.113.99', { tenant: owner.tenant.slug, email: owner.admin.email, password: PASSWORD }).expect(429);
    expect(res.body.code).toBe('login_throttled');
    await login('198.51.100.21', { tenant: owner.tenant.slug, email: owner.admin.email, password: PASSWORD }).expect(200);
  });

  it('refuses passwords that are only spaces, one character repeated, or among the most common', async () => {
    const admin = bearer(owner.admin.accessToken);
    for (const [password, reason] of [
      [' '.repeat(12), /only spaces/],
      ['\u3000'.repeat(12), /only spaces/],
      ['aaaaaaaaaaaaaaa', /repeated/],
      ['Password1234', /most common/],
      ['123456789012', /most common/],
    ] as const) {
      const res = await api.http().post('/v1/users').set(admin).send({ email: 'new@example.jp', name: '新人', role: 'maintainer', password }).expect(400);
      expect(res.body.errors[0].reason).toMatch(reason);
    }
    const change = await api
      .http()
      .post('/v1/auth/password')
      .set(admin)
      .send({ currentPassword: PASSWORD, newPassword: ' '.repeat(14) })
      .expect(400);
    expect(change.body.errors[0]).toMatchObject({ field: 'newPassword' });
    await api
      .http()
      .post('/v1/users')
      .set(admin)
      .send({ email: 'new@example.jp', name: '新人', role: 'maintainer', password: 'a sound new passphrase' })
      .expect(201);
  });
});
