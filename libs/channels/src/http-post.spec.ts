import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postForm } from './http-post.js';

describe('postForm', () => {
  let server: Server;
  let url: string;
  let handle: (req: IncomingMessage, body: string, res: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => handle(req, body, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the form with its headers and returns status, Retry-After and body', async () => {
    let seen: { method?: string; type?: string; length?: string; auth?: string; body?: string } = {};
    handle = (req, body, res) => {
      seen = { method: req.method, type: req.headers['content-type'], length: req.headers['content-length'], auth: req.headers.authorization, body };
      res.writeHead(429, { 'Retry-After': '7', 'Content-Type': 'application/json' }).end('{"code":20429}');
    };
    const form = new URLSearchParams({ To: '+819012345678', Body: '安否確認 https://x/a/1' });
    const response = await postForm(`${url}/2010-04-01/Accounts/AC1/Messages.json`, { Authorization: 'Basic abc' }, form, 2_000);
    expect(response).toMatchObject({ status: 429, retryAfter: '7', text: '{"code":20429}' });
    expect(response.headers['retry-after']).toBe('7');
    expect(seen).toEqual({
      method: 'POST',
      type: 'application/x-www-form-urlencoded',
      length: String(Buffer.byteLength(form.toString())),
      auth: 'Basic abc',
      body: form.toString(),
    });
  });

  it('gives up on a provider that does not answer in time', async () => {
    handle = () => undefined;
    const started = Date.now();
    await expect(postForm(url, {}, new URLSearchParams({ a: '1' }), 200)).rejects.toThrow('no response within 200 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('rejects when nothing listens', async () => {
    await expect(postForm('http://127.0.0.1:9/', {}, new URLSearchParams(), 1_000)).rejects.toThrow();
  });
});
