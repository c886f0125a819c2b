import net from 'node:net';
import { bearer, Factory, type TenantWithAdmin } from './support/factories.js';
import { startTestApi, type TestApi } from './support/test-api.js';

/** Malformed input on every way in gets a 4xx that names the problem, never a 500 or a dropped connection. */
describe('bad input', () => {
  let api: TestApi;
  let make: Factory;
  let owner: TenantWithAdmin;
  let admin: { Authorization: string };

  beforeAll(async () => {
    api = await startTestApi();
    make = new Factory(api);
    owner = await make.tenantWithAdmin();
    admin = bearer(owner.admin.accessToken);
  });
  afterAll(() => api.close());

  const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

  it('refuses JSON nested too deep with 400 before parsing, on public and authenticated routes', async () => {
    for (const [path, auth] of [
      ['/v1/auth/login', {}],
      ['/v1/departments', admin],
    ] as const) {
      const res = await api
        .http()
        .post(path)
        .set(auth)
        .set('Content-Type', 'application/json')
        .send(`{"a":${deep(10_000)}}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'json_too_deep' });
      expect(res.body.message).toMatch(/nested deeper than \d+ levels/);
    }
    // Depth inside strings is not depth.
    const inString = await api
      .http()
      .post('/v1/departments')
      .set(admin)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ code: 'X1', name: '['.repeat(50) }));
    expect(inString.status).toBe(201);
  });

  it('refuses malformed JSON with 400 and a reason', async () => {
    const res = await api.http().post('/v1/departments').set(admin).set('Content-Type', 'application/json').send('{"code": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'json_malformed' });
  });

  it('refuses a NUL character in any JSON string with 400 naming the field', async () => {
    const cases: [string, string, object][] = [
      ['post', '/v1/departments', { code: 'N1', name: 'a\u0000b' }],
      ['post', '/v1/employees', { code: 'N2', name: '社員', kana: 'ア\u0000' }],
      ['post', '/v1/templates', { name: 't\u0000', title: 'x', body: 'y' }],
      ['post', '/v1/users', { email: 'u@example.jp', name: 'x\u0000', role: 'admin', password: 'a long enough pass' }],
      ['post', '/v1/api-keys', { name: 'k\u0000', roles: ['admin'] }],
    ];
    for (const [, path, body] of cases) {
      const res = await api.http().post(path).set(admin).send(body);
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.body.code).toBe('invalid_text');
      expect(res.body.errors[0].reason).toMatch(/NUL/);
    }
    const nested = await api
      .http()
      .post('/v1/templates')
      .set(admin)
      .send({ name: 'ok', title: 'x', body: 'y', questions: [{ key: 'k', label: 'a\u0000' }] });
    expect(nested.status).toBe(400);
    expect(nested.body.errors[0].field).toBe('questions[0].label');
    const platform = await api.http().post(`/v1/tenants/${owner.tenant.id}/suspend`).set(make.platform()).send({ reason: 'x\u0000' });
    expect(platform.status).toBe(400);
    expect(platform.body.errors[0].field).toBe('reason');
  });

  it('refuses a lone UTF-16 surrogate in a JSON string with 400 naming the field', async () => {
    const res = await api.http().post('/v1/departments').set(admin).set('Content-Type', 'application/json').send('{"code":"S1","name":"a\\ud800b"}');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_text', errors: [{ field: 'name' }] });
    expect(res.body.errors[0].reason).toMatch(/surrogate/);
    // A proper pair (an emoji) is text.
    const pair = await api.http().post('/v1/departments').set(admin).set('Content-Type', 'application/json').send('{"code":"S2","name":"a\\ud83d\\ude00b"}');
    expect(pair.status).toBe(201);
  });

  it('refuses __proto__, constructor and prototype keys like any other unknown field', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const res = await api
        .http()
        .post('/v1/departments')
        .set(admin)
        .set('Content-Type', 'application/json')
        .send(`{"code":"P1","name":"x","${key}":{"admin":true}}`);
      expect([key, res.status]).toEqual([key, 400]);
      expect(res.body.errors[0]).toMatchObject({ field: key });
    }
  });

  it('refuses a NUL character in a query string with 400 naming the parameter', async () => {
    for (const path of ['/v1/employees?q=%00', '/v1/audit-log?resourceType=%00', '/v1/audit-log?resourceId=a%00', '/v1/audit-log?actorId=%00']) {
      const res = await api.http().get(path).set(admin);
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.body.code).toBe('invalid_text');
    }
  });

  it('answers a malformed request line with a JSON 400', async () => {
    const address = api.app.getHttpServer().listening ? api.app.getHttpServer().address() : null;
    const server = api.app.getHttpServer();
    if (!address) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end(Buffer.from('GET /v1/employees?q=やまだ HTTP/1.1\r\nHost: x\r\n\r\n', 'utf8')));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(raw).toMatch(/content-type: application\/json/i);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    expect(body).toMatchObject({ statusCode: 400, code: 'bad_request_line' });
    expect(body.message).toMatch(/percent-encode/);
  });

  it('refuses a NUL character in a form field (the answer page) with 400 naming the field', async () => {
    // The form parser is the same one place: a NUL in a form field is refused before any handler runs.
    const res = await api.http().post('/a/not-a-token').type('form').send('message=a%00b');
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/message/);
  });
});
