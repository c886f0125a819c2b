import { countSmsSegments } from '#anpi/channels';
import { submissionKey } from './support/answer-links.js';
import { bearer, DirectoryFactory, Factory, type TenantWithAdmin } from './support/factories.js';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';

const BASE = 'https://anpi.example.co.jp';

/** SMS are paid per segment: the short answer link keeps a title-only alert to one. */
describe('SMS short answer links', () => {
  let h: DeliveryHarness;
  let owner: TenantWithAdmin;
  let admin: { Authorization: string };
  const ids: string[] = [];

  beforeAll(async () => {
    h = await startDeliveryHarness({ PUBLIC_BASE_URL: BASE });
    owner = await new Factory(h.api).tenantWithAdmin();
    admin = bearer(owner.admin.accessToken);
    const dir = new DirectoryFactory(h.api, owner);
    ids.push((await dir.employee({ code: 'M1', name: '携帯 一郎', mobiles: ['090-1000-0001'] })).id);
    ids.push((await dir.employee({ code: 'M2', name: '携帯 二郎', mobiles: ['090-1000-0002', '080-1000-0003'] })).id);
  });
  afterAll(() => h.close());

  it('sends a 20-character title in one UCS-2 segment with a link that opens the recipient’s page, and meters one unit', async () => {
    const title = '震度6強 東京23区 全社員は安否を回答';
    expect([...title]).toHaveLength(20);
    const res = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(admin)
      .send({ templateId: 'preset:earthquake', title, channels: ['sms'], targets: { employeeIds: ids } })
      .expect(202);
    await waitForBroadcast(h.api, owner.admin.accessToken, res.body.id);
    const texts = h.twilio.messages.filter((m) => m.body.includes(title));
    expect(texts).toHaveLength(3);
    expect(h.twilio.violations).toEqual([]);
    for (const t of texts) {
      expect(countSmsSegments(t.body)).toMatchObject({ segments: 1 });
      expect(t.body).toMatch(new RegExp(`^【安否確認】${title}\\n${BASE.replaceAll('.', '\\.')}/s/[1-9A-HJ-NP-Za-km-z]{14}$`));
    }
    // Both numbers of one employee carry that employee's one code.
    const codeOf = (to: string) => texts.find((t) => t.to === to)!.body.slice(-14);
    expect(codeOf('+819010000002')).toBe(codeOf('+818010000003'));
    expect(codeOf('+819010000001')).not.toBe(codeOf('+819010000002'));

    const ledger = await h.api.owner(`SELECT sum(units)::int AS units, count(*)::int AS n FROM usage_ledger WHERE broadcast_id = $1`, [res.body.id]);
    expect(ledger.rows[0]).toEqual({ units: 3, n: 3 });

    // The short link opens the same page as the signed link; its form answers for that recipient.
    const page = await h.api
      .http()
      .get(`/s/${codeOf('+819010000001')}`)
      .expect(200);
    expect(page.text).toContain('携帯 一郎 さん');
    const action = /<form[^>]*action="([^"]+)"/.exec(page.text)![1]!;
    await h.api
      .http()
      .post(action)
      .type('form')
      .send({ 'q.self': 'safe', 'q.family': 'all_safe', 'q.home': 'no_damage', 'q.work': 'yes', k: submissionKey(page.text) })
      .expect(200);
    const answered = await h.api.owner(`SELECT employee_code FROM recipients WHERE broadcast_id = $1 AND answered_at IS NOT NULL`, [res.body.id]);
    expect(answered.rows).toEqual([{ employee_code: 'M1' }]);
  });

  it('answers 404 for an unknown code and 429 once an address misses too often; genuine codes still open', async () => {
    const known = h.twilio.messages.at(-1)!.body.slice(-14);
    await h.api.http().get('/s/11111111111111').expect(404);
    await h.api.http().get('/s/short').expect(404);
    let status = 404;
    for (let i = 0; i < 25 && status !== 429; i++) status = (await h.api.http().get(`/s/2222222222222${i % 10}`)).status;
    expect(status).toBe(429);
    await h.api.http().get(`/s/${known}`).expect(200);
  });
});
