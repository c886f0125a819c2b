import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { httpLogging, loggableUrl } from './http-logging.js';
import { createLogger } from './logger.js';
import { RequestContext } from './request-context.js';

describe('loggableUrl', () => {
  it.each([
    ['/v1/users?search=山田', '/v1/users'],
    ['/a/eyJhbGciOi.secret-token', '/a/[token]'],
    ['/a/abc/confirm', '/a/[token]/confirm'],
    ['/l/link-token?x=1', '/l/[token]'],
    ['/l/link-token/verify', '/l/[token]/verify'],
    ['/l/i/invite-token', '/l/i/[token]'],
    ['/v1/audit-log', '/v1/audit-log'],
    [undefined, ''],
  ])('logs %s as %s', (url, logged) => {
    expect(loggableUrl(url)).toBe(logged);
  });
});

describe('httpLogging', () => {
  let server: Server;
  let lines: Record<string, unknown>[];
  let base: string;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    });
    const log = httpLogging(createLogger({ level: 'info', service: 'api', destination: sink, withContext: false }));
    server = createServer((req, res) =>
      log(req, res, () => {
        // What the authentication guard does once it knows who is asking.
        RequestContext.assign({ tenantId: 'tenant-1', actorId: 'user-1' });
        const status = Number(new URL(req.url!, 'http://x').searchParams.get('status') ?? 200);
        if (status === 0) return void res.destroy();
        res.statusCode = status;
        res.end(String(RequestContext.current()?.requestId));
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => (lines = []));
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('writes one line per request: id, method, url without its token or query, status, time, tenant and actor', async () => {
    const res = await fetch(`${base}/a/secret-token-123?lang=en`);
    const requestId = await res.text();
    expect(res.headers.get('x-request-id')).toBe(requestId);
    await settle();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'request completed',
        service: 'api',
        requestId,
        tenantId: 'tenant-1',
        actorId: 'user-1',
        req: { method: 'GET', url: '/a/[token]' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret-token-123');
  });

  it("keeps a caller's well-formed request id and replaces any other", async () => {
    expect((await fetch(`${base}/v1/x`, { headers: { 'X-Request-Id': 'trace-me-123' } })).headers.get('x-request-id')).toBe('trace-me-123');
    const replaced = (await fetch(`${base}/v1/x`, { headers: { 'X-Request-Id': 'bad id with spaces' } })).headers.get('x-request-id');
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs 4xx as warn, 5xx as error, requests the client abandoned as info, and health probes not at all', async () => {
    await fetch(`${base}/v1/x?status=404`);
    await fetch(`${base}/v1/x?status=503`);
    await fetch(`${base}/healthz`);
    await new Promise<void>((resolve) =>
      request(`${base}/v1/x?status=0`)
        .on('error', () => resolve())
        .end(),
    );
    await settle();
    expect(lines.map((l) => [l.level, l.msg, (l.res as { statusCode: number }).statusCode])).toEqual([
      ['warn', 'request completed', 404],
      ['error', 'request completed', 503],
      ['info', 'request aborted', 200],
    ]);
  });
});
