import { bearer, DirectoryFactory, Factory, type TenantWithAdmin } from './support/factories.js';
import { csvFile, parseCsv } from './support/csv.js';
import { startTestApi, type TestApi } from './support/test-api.js';

describe('where employees are: work and home prefectures, department prefecture', () => {
  let api: TestApi;
  let make: Factory;

  beforeAll(async () => {
    api = await startTestApi();
    make = new Factory(api);
  });
  afterAll(() => api.close());

  const upload = (owner: TenantWithAdmin, file: Buffer) =>
    api.http().post('/v1/employees/import').set(bearer(owner.admin.accessToken)).set('Content-Type', 'text/csv').send(file);

  it('takes the code or the Japanese name through the API, and refuses anything else with the reason', async () => {
    const owner = await make.tenantWithAdmin();
    const dir = new DirectoryFactory(api, owner);
    const hq = await api
      .http()
      .post('/v1/departments')
      .set(bearer(owner.admin.accessToken))
      .send({ code: 'HQ', name: '本社', prefecture: '東京都' })
      .expect(201);
    expect(hq.body.prefecture).toBe(13);
    const e = await dir.employee({ workPrefecture: '大阪府', homePrefecture: 28 });
    expect(e).toMatchObject({ workPrefecture: 27, homePrefecture: 28 });
    const cleared = await api.http().patch(`/v1/employees/${e.id}`).set(bearer(owner.admin.accessToken)).send({ workPrefecture: null }).expect(200);
    expect(cleared.body).toMatchObject({ workPrefecture: null, homePrefecture: 28 });
    for (const bad of ['東京府', 48, 0, 'Tokyo']) {
      const res = await api
        .http()
        .post('/v1/employees')
        .set(bearer(owner.admin.accessToken))
        .send({ code: 'X1', name: '誰か', workPrefecture: bad })
        .expect(400);
      expect(JSON.stringify(res.body)).toContain('workPrefecture must be a JIS X 0401 code (01–47) or a prefecture name');
    }
    const badDept = await api.http().patch(`/v1/departments/${hq.body.id}`).set(bearer(owner.admin.accessToken)).send({ prefecture: '99' }).expect(400);
    expect(JSON.stringify(badDept.body)).toContain('prefecture must be');
  });

  it('imports and exports 勤務地都道府県 / 居住地都道府県, with bad values as row errors', async () => {
    const owner = await make.tenantWithAdmin();
    const header = ['社員番号', '氏名', '勤務地都道府県', '居住地都道府県'];
    const bad = await upload(
      owner,
      csvFile([header, ['E1', '山田 太郎', '東京都', '神奈川'], ['E2', '佐藤 花子', '東京府', '13'], ['E3', '鈴木 一郎', '', '48']]),
    ).expect(422);
    expect(bad.body).toMatchObject({ applied: false, errorCount: 2 });
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ row: 3, column: '勤務地都道府県', value: '東京府', reason: expect.stringContaining('JIS X 0401') }),
      expect.objectContaining({ row: 4, column: '居住地都道府県', value: '48', reason: expect.stringContaining('JIS X 0401') }),
    ]);
    const ok = await upload(
      owner,
      csvFile([
        ['社員番号', '氏名', 'work_prefecture', 'home_prefecture'],
        ['E1', '山田 太郎', '13', '神奈川県'],
        ['E2', '佐藤 花子', '', '１'],
      ]),
    );
    expect(ok.body).toMatchObject({ applied: true, created: 2 });
    const again = await upload(
      owner,
      csvFile([
        ['社員番号', '氏名', '勤務地都道府県'],
        ['E1', '山田 太郎', '東京都'],
      ]),
    );
    expect(again.body).toMatchObject({ unchanged: 1 });

    const exported = await api.http().get('/v1/employees/export').set(bearer(owner.admin.accessToken)).buffer(true).expect(200);
    const [head, ...rows] = parseCsv(exported.text);
    const work = head!.indexOf('勤務地都道府県 / work_prefecture');
    const home = head!.indexOf('居住地都道府県 / home_prefecture');
    expect(work).toBeGreaterThan(0);
    const byCode = Object.fromEntries(rows.map((r) => [r[0], [r[work], r[home]]]));
    expect(byCode).toEqual({ E1: ['東京都', '神奈川県'], E2: ['', '北海道'] });
  });
});
