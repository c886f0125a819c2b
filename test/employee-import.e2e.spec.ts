import { bearer, DirectoryFactory, Factory, type TenantWithAdmin } from './support/factories.js';
import { csvFile, parseCsv } from './support/csv.js';
import { startTestApi, type TestApi } from './support/test-api.js';

const JA_HEADER = ['社員番号', '氏名', 'フリガナ', '部署コード', 'メール', '携帯電話'];

describe('employee CSV import and export', () => {
  let api: TestApi;
  let make: Factory;

  beforeAll(async () => {
    api = await startTestApi();
    make = new Factory(api);
  });
  afterAll(() => api.close());

  async function company(): Promise<TenantWithAdmin & { admin: { accessToken: string } }> {
    const owner = await make.tenantWithAdmin();
    const dir = new DirectoryFactory(api, owner);
    const hq = await dir.department('本社', undefined, 'HQ');
    await dir.department('営業部', hq, 'SALES');
    await dir.department('総務部', hq, 'GA');
    return owner;
  }

  const upload = (owner: TenantWithAdmin, file: Buffer, query = '', type = 'text/csv') =>
    api.http().post(`/v1/employees/import${query}`).set(bearer(owner.admin.accessToken)).set('Content-Type', type).send(file);

  const count = async (owner: TenantWithAdmin) =>
    (await api.owner('SELECT count(*)::int AS n FROM employees WHERE tenant_id = $1', [owner.tenant.id])).rows[0].n as number;

  const rows = [
    ['E001', '山田 太郎', 'やまだ たろう', 'SALES', 'yamada@example.co.jp', '090-1234-5678'],
    ['E002', '髙橋 花子', 'タカハシ ハナコ', 'GA', 'takahashi@example.co.jp', ''],
    ['E003', '佐藤 ①郎', 'ｻﾄｳ ｲﾁﾛｳ', 'SALES', '', '０８０－１１１１－２２２２'],
  ];

  it.each([
    ['UTF-8', 'utf-8'],
    ['UTF-8 with BOM', 'utf-8-bom'],
    ['Shift_JIS', 'shift_jis'],
  ] as const)('imports %s with Japanese headers', async (_label, encoding) => {
    const owner = await company();
    const res = await upload(owner, csvFile([JA_HEADER, ...rows], { encoding })).expect(200);
    expect(res.body).toMatchObject({
      applied: true,
      dryRun: false,
      encoding: encoding === 'shift_jis' ? 'shift_jis' : 'utf-8',
      rows: 3,
      created: 3,
      updated: 0,
      unchanged: 0,
      errorCount: 0,
      errors: [],
    });
    const list = await api.http().get('/v1/employees').set(bearer(owner.admin.accessToken)).expect(200);
    const byCode = Object.fromEntries(list.body.items.map((e: { code: string }) => [e.code, e]));
    expect(byCode.E001).toMatchObject({
      name: '山田 太郎',
      kana: 'ヤマダ タロウ',
      department: { code: 'SALES' },
      emails: ['yamada@example.co.jp'],
      mobiles: ['+819012345678'],
    });
    expect(byCode.E002).toMatchObject({ name: '髙橋 花子', department: { code: 'GA' }, mobiles: [] });
    expect(byCode.E003).toMatchObject({ name: '佐藤 1郎', kana: 'サトウ イチロウ', mobiles: ['+818011112222'] });
  });

  it('reads English and bilingual headers, ignoring unknown columns', async () => {
    const owner = await company();
    const en = await upload(
      owner,
      csvFile([
        ['employee_code', 'name', 'department_code', 'email', 'notes'],
        ['E1', 'Taro', 'HQ', 't@example.jp', 'x'],
      ]),
    ).expect(200);
    expect(en.body).toMatchObject({ created: 1, ignoredColumns: ['notes'] });
    const both = await upload(
      owner,
      csvFile([
        ['社員番号 / employee_code', '氏名 / name', '言語 / locale'],
        ['E1', 'Taro', 'en'],
      ]),
    ).expect(200);
    expect(both.body).toMatchObject({ created: 0, updated: 1 });
  });

  it('dry run reports creates, updates, unchanged and every row error, and writes nothing', async () => {
    const owner = await company();
    await upload(owner, csvFile([JA_HEADER, ...rows])).expect(200);
    const file = csvFile([
      JA_HEADER,
      ['E001', '山田 太郎', 'ヤマダ タロウ', 'SALES', 'yamada@example.co.jp', '090-1234-5678'],
      ['E002', '髙橋 花子', 'タカハシ ハナコ', 'SALES', 'takahashi@example.co.jp', ''],
      ['E004', '新人 一号', '', 'GA', '', ''],
      ['E005', '', '', 'NOPE', 'not-an-email', '03-1234-5678'],
      ['E004', '重複', '', 'GA', '', ''],
      ['E006', 'short row'],
    ]);
    const res = await upload(owner, file, '?dryRun=true').expect(200);
    expect(res.body).toMatchObject({ dryRun: true, applied: false, rows: 6, created: 1, updated: 1, unchanged: 1, errorCount: 6 });
    expect(res.body.errors).toEqual([
      { row: 5, column: '氏名', value: '', reason: '氏名 is required / name is required' },
      { row: 5, column: 'メール', value: 'not-an-email', reason: 'is not an email address' },
      { row: 5, column: '携帯電話', value: '03-1234-5678', reason: 'is a landline, not a mobile number (携帯電話番号ではありません)' },
      { row: 5, column: '部署コード', value: 'NOPE', reason: 'unknown department code (import with createDepartments=true to create it)' },
      { row: 6, column: '社員番号', value: 'E004', reason: 'duplicates the employee code of row 4' },
      { row: 7, column: null, value: null, reason: 'has 2 columns; the header has 6' },
    ]);
    expect(await count(owner)).toBe(3);
    const e002 = await api.owner("SELECT d.code FROM employees e JOIN departments d ON d.id = e.department_id WHERE e.tenant_id = $1 AND e.code = 'E002'", [
      owner.tenant.id,
    ]);
    expect(e002.rows[0].code).toBe('GA');
  });

  it('applies all or nothing: one bad row and nothing is written (422 with the report)', async () => {
    const owner = await company();
    const file = csvFile([JA_HEADER, ...rows, ['E009', '部署 不明', '', 'NOPE', '', '']]);
    const res = await upload(owner, file).expect(422);
    expect(res.body).toMatchObject({ applied: false, created: 3, errorCount: 1, errors: [{ row: 5, column: '部署コード', value: 'NOPE' }] });
    expect(await count(owner)).toBe(0);
    const audit = await api.http().get('/v1/audit-log?action=employees.import_rejected').set(bearer(owner.admin.accessToken)).expect(200);
    expect(audit.body.items[0].details).toMatchObject({ rows: 4, errorCount: 1 });
  });

  it('creates unknown departments on request, and deactivates the missing on request', async () => {
    const owner = await company();
    await upload(owner, csvFile([JA_HEADER, ...rows])).expect(200);
    const res = await upload(
      owner,
      csvFile([
        ['社員番号', '氏名', '部署コード', '部署名'],
        ['E001', '山田 太郎', 'NEW-1', '新設部'],
        ['E004', '新人', 'NEW-1', '新設部'],
      ]),
      '?createDepartments=true&deactivateMissing=true',
    ).expect(200);
    expect(res.body).toMatchObject({ created: 1, updated: 1, departmentsCreated: 1, deactivated: 2 });
    const dept = await api.owner("SELECT name, parent_id FROM departments WHERE tenant_id = $1 AND code = 'NEW-1'", [owner.tenant.id]);
    expect(dept.rows).toEqual([{ name: '新設部', parent_id: null }]);
    const states = await api.owner('SELECT code, active FROM employees WHERE tenant_id = $1 ORDER BY code', [owner.tenant.id]);
    expect(states.rows).toEqual([
      { code: 'E001', active: true },
      { code: 'E002', active: false },
      { code: 'E003', active: false },
      { code: 'E004', active: true },
    ]);
  });

  it('exports UTF-8 with BOM in the import columns, and re-importing the export changes nothing', async () => {
    const owner = await company();
    const header = [...JA_HEADER, '兼務部署コード', 'メール2', '言語', '在籍'];
    await upload(
      owner,
      csvFile([
        header,
        ['E001', '山田, "太郎"', 'ヤマダ', 'SALES', 'a@example.jp', '090-1234-5678', 'GA;HQ', 'b@example.jp', 'en', '1'],
        ['E002', '=HYPERLINK("x")', '', '', '', '', '', '', 'ja', '0'],
      ]),
    ).expect(200);

    const res = await api
      .http()
      .get('/v1/employees/export')
      .set(bearer(owner.admin.accessToken))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="employees-\d{8}\.csv"$/);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const table = parseCsv(body.toString('utf8'));
    expect(table[0]!.slice(0, 3)).toEqual(['社員番号 / code', '氏名 / name', 'フリガナ / kana']);
    expect(table[1]).toEqual([
      'E001',
      '山田, "太郎"',
      'ヤマダ',
      'SALES',
      '営業部',
      'GA;HQ',
      'a@example.jp',
      'b@example.jp',
      '',
      "'+819012345678",
      '',
      '',
      'en',
      '1',
      '',
      '',
    ]);
    expect(table[2]![1]).toBe(`'=HYPERLINK("x")`);

    const again = await upload(owner, body).expect(200);
    expect(again.body).toMatchObject({ rows: 2, created: 0, updated: 0, unchanged: 2, errorCount: 0 });
    const audit = await api.http().get('/v1/audit-log?action=employees.export').set(bearer(owner.admin.accessToken)).expect(200);
    expect(audit.body.items[0].details).toEqual({ rows: 2 });
  });

  it('accepts a multipart upload, and refuses empty files, missing columns and other media types', async () => {
    const owner = await company();
    const multipart = await api
      .http()
      .post('/v1/employees/import')
      .set(bearer(owner.admin.accessToken))
      .attach('file', csvFile([JA_HEADER, ...rows], { encoding: 'shift_jis' }), '社員.csv')
      .expect(200);
    expect(multipart.body).toMatchObject({ created: 3, encoding: 'shift_jis' });
    const empty = await upload(owner, Buffer.alloc(0)).expect(400);
    expect(empty.body.message).toMatch(/empty/);
    const missing = await upload(
      owner,
      csvFile([
        ['氏名', 'メール'],
        ['x', 'y@example.jp'],
      ]),
    ).expect(400);
    expect(missing.body.message).toMatch(/社員番号/);
    await upload(owner, Buffer.from('{}'), '', 'application/json').expect(415);
    const utf16 = await upload(owner, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('社員番号,氏名\r\n', 'utf16le')])).expect(400);
    expect(utf16.body.message).toMatch(/UTF-16/);
  });

  it('is for maintainers and admins, into their own tenant only', async () => {
    const owner = await company();
    const head = await make.user(owner, 'department_head');
    await api
      .http()
      .post('/v1/employees/import')
      .set(bearer(head.accessToken))
      .set('Content-Type', 'text/csv')
      .send(csvFile([JA_HEADER, ...rows]))
      .expect(403);
    const maintainer = await make.user(owner, 'maintainer');
    await api
      .http()
      .post('/v1/employees/import')
      .set(bearer(maintainer.accessToken))
      .set('Content-Type', 'text/csv')
      .send(csvFile([JA_HEADER, ...rows]))
      .expect(200);

    // Another tenant's department codes are unknown here, and its employees untouched.
    const other = await company();
    await upload(
      other,
      csvFile([
        ['社員番号', '氏名', '部署コード'],
        ['E001', '他社', 'OTHER-ONLY'],
      ]),
      '?createDepartments=true',
    ).expect(200);
    const res = await upload(
      owner,
      csvFile([
        ['社員番号', '氏名', '部署コード'],
        ['E001', '山田 太郎', 'OTHER-ONLY'],
      ]),
      '?dryRun=true',
    ).expect(200);
    expect(res.body.errors[0]).toMatchObject({ column: '部署コード', value: 'OTHER-ONLY' });
    await upload(
      owner,
      csvFile([
        ['社員番号', '氏名'],
        ['E001', '上書き'],
      ]),
      '?deactivateMissing=true',
    ).expect(200);
    const theirs = await api.owner("SELECT name, active FROM employees WHERE tenant_id = $1 AND code = 'E001'", [other.tenant.id]);
    expect(theirs.rows).toEqual([{ name: '他社', active: true }]);
    const exported = await api.http().get('/v1/employees/export').set(bearer(owner.admin.accessToken)).expect(200);
    expect(exported.text).toContain('上書き');
    expect(exported.text).not.toMatch(/他社|OTHER-ONLY/);
  });
});
