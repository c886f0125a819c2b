import { bearer, Factory, PASSWORD } from './support/factories.js';
import { startTestApi, type TestApi } from './support/test-api.js';

describe('health, readiness, API docs and logs', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('answers /healthz and /readyz without credentials', async () => {
    await api.http().get('/healthz').expect(200, { status: 'ok' });
    const ready = await api.http().get('/readyz').expect(200);
    expect(ready.body).toEqual({ status: 'ok', ready: true, checks: { postgres: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('serves the OpenAPI document at /docs-json and its UI at /docs', async () => {
    const doc = await api.http().get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/tenants',
        '/v1/tenants/{id}/suspend',
        '/v1/auth/login',
        '/v1/auth/refresh',
        '/v1/auth/logout',
        '/v1/users',
        '/v1/api-keys',
        '/v1/audit-log',
      ]),
    );
    expect(doc.body.components.schemas.CreateUserDto.required).toEqual(expect.arrayContaining(['email', 'name', 'role', 'password']));
    const ui = await api.http().get('/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('answers malformed JSON with 400 and unknown routes with 404', async () => {
    const res = await api.http().post('/v1/auth/login').set('Content-Type', 'application/json').send('{"tenant":').expect(400);
    expect(res.body.statusCode).toBe(400);
    await api.http().get('/v1/nothing-here').expect(404);
  });

  it('logs one JSON line per request with its request id and tenant, and no secrets or personal data', async () => {
    const make = new Factory(api);
    const owner = await make.tenantWithAdmin();
    await api
      .http()
      .get('/v1/users')
      .set(bearer(owner.admin.accessToken))
      .set('X-Request-Id', 'trace-me-123')
      .expect(200)
      .expect('X-Request-Id', 'trace-me-123');
    await api.http().post('/v1/auth/login').send({ tenant: owner.tenant.slug, email: owner.admin.email, password: 'a wrong password' }).expect(401);

    const line = api.logs.find((l) => l.requestId === 'trace-me-123');
    expect(line).toMatchObject({
      level: 'info',
      service: 'api',
      tenantId: owner.tenant.id,
      actorId: owner.admin.user.id,
      req: { method: 'GET', url: '/v1/users' },
      res: { statusCode: 200 },
    });
    expect(typeof line!.responseTime).toBe('number');

    const generated = api.logs.filter((l) => (l.req as { url?: string } | undefined)?.url === '/v1/auth/login');
    expect(generated.length).toBeGreaterThan(0);
    expect(generated.every((l) => typeof l.requestId === 'string' && (l.requestId as string).length > 0)).toBe(true);

    const everything = JSON.stringify(api.logs);
    for (const secret of [PASSWORD, 'a wrong password', owner.admin.accessToken, owner.admin.refreshToken, owner.admin.email, 'Bearer ']) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('readiness when a dependency is down', () => {
  it('answers /readyz with 503 and names Redis as down, while /healthz stays up', async () => {
    const api = await startTestApi({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      await api.http().get('/healthz').expect(200);
      const res = await api.http().get('/readyz').expect(503);
      expect(res.body).toMatchObject({ status: 'unavailable', ready: false, checks: { postgres: { status: 'up' }, redis: { status: 'down' } } });
    } finally {
      await api.close();
    }
  });
});
