import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { bearer, Factory, type TenantWithAdmin } from './support/factories.js';
import { csvFile } from './support/csv.js';
import { startTestApi, type TestApi } from './support/test-api.js';

const HEADER = '社員番号,氏名,フリガナ\r\n';

/** Broken files are row errors in the report (dry run and real import alike), never a 500. */
describe('employee CSV import: broken files', () => {
  let api: TestApi;
  let owner: TenantWithAdmin;

  beforeAll(async () => {
    api = await startTestApi();
    owner = await new Factory(api).tenantWithAdmin();
  });
  afterAll(() => api.close());

  const upload = (file: Buffer | string, query = '') =>
    api.http().post(`/v1/employees/import${query}`).set(bearer(owner.admin.accessToken)).set('Content-Type', 'text/csv').send(Buffer.from(file));
  const count = async () => (await api.owner('SELECT count(*)::int AS n FROM employees WHERE tenant_id = $1', [owner.tenant.id])).rows[0].n as number;

  it('reports an unclosed quote as a row error, in the dry run and the real import', async () => {
    const file = `${HEADER}E1,山田,ヤマダ\r\nE2,"鈴木,スズキ\r\nE3,佐藤,サトウ\r\n`;
    const dry = await upload(file, '?dryRun=true').expect(200);
    expect(dry.body.errorCount).toBe(1);
    expect(dry.body.errors[0]).toMatchObject({ column: null, value: null });
    expect(dry.body.errors[0].reason).toMatch(/not closed/);
    const real = await upload(file).expect(422);
    expect(real.body.errors).toEqual(dry.body.errors);
    expect(await count()).toBe(0);
  });

  it('reports a stray quote inside a cell on its row and goes on reading', async () => {
    const dry = await upload(`${HEADER}E1,山"田,ヤマダ\r\nE2,鈴木,スズキ\r\n`, '?dryRun=true').expect(200);
    expect(dry.body).toMatchObject({ created: 1, errorCount: 1, errors: [{ row: 2 }] });
  });

  it('refuses a NUL byte in a cell the same way in the dry run and the real import', async () => {
    const file = `${HEADER}E1,山\u0000田,ヤマダ\r\n`;
    const dry = await upload(file, '?dryRun=true').expect(200);
    expect(dry.body).toMatchObject({ created: 0, errorCount: 1, errors: [{ row: 2, column: '氏名' }] });
    expect(dry.body.errors[0].reason).toMatch(/NUL/);
    const real = await upload(file).expect(422);
    expect(real.body.errors).toEqual(dry.body.errors);
    expect(await count()).toBe(0);
  });

  it('reports the row and column of bytes that are not Shift_JIS', async () => {
    const good = iconv.encode(`${HEADER}E1,山田,ヤマダ\r\nE2,`, 'cp932');
    const file = Buffer.concat([good, Buffer.from([0x82, 0xa0, 0x85, 0xff]), iconv.encode(',スズキ\r\n', 'cp932')]);
    const dry = await upload(file, '?dryRun=true').expect(200);
    expect(dry.body).toMatchObject({ encoding: 'shift_jis', created: 1, errorCount: 1, errors: [{ row: 3, column: '氏名' }] });
    expect(dry.body.errors[0].reason).toMatch(/Shift_JIS/);
  });

  it('echoes at most 200 characters of a rejected cell', async () => {
    const dry = await upload(`${HEADER}E1,${'長'.repeat(50_000)},ヤマダ\r\n`, '?dryRun=true').expect(200);
    expect(dry.body.errors[0].reason).toMatch(/at most 100/);
    expect(dry.body.errors[0].value).toHaveLength(201);
    expect(dry.body.errors[0].value.endsWith('…')).toBe(true);
  });

  it('answers 413 naming the limit for a body over 64 MiB, with a length or chunked, and as multipart', async () => {
    const big = Buffer.concat([csvFile([['社員番号', '氏名']]), Buffer.alloc(64 * 1024 * 1024 + 10, 0x41)]);
    const sized = await upload(big);
    expect(sized.status).toBe(413);
    expect(sized.body.message).toMatch(/64 MiB/);
    const multipart = await api.http().post('/v1/employees/import').set(bearer(owner.admin.accessToken)).attach('file', big, 'big.csv');
    expect(multipart.status).toBe(413);

    const server = api.app.getHttpServer() as http.Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        { port, host: '127.0.0.1', method: 'POST', path: '/v1/employees/import', headers: { ...bearer(owner.admin.accessToken), 'Content-Type': 'text/csv' } },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on('error', reject);
      let sent = 0;
      Readable.from(
        (function* () {
          while (sent < 65 * 1024 * 1024) {
            sent += 1024 * 1024;
            yield Buffer.alloc(1024 * 1024, 0x41);
          }
        })(),
      ).pipe(req);
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).message).toMatch(/64 MiB/);
  });
});
