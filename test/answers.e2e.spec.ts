import { answerLinks, submissionKey } from './support/answer-links.js';
import { bearer, DirectoryFactory, Factory, type TenantWithAdmin } from './support/factories.js';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';

const ALL_SAFE = { 'q.self': 'safe', 'q.family': 'all_safe', 'q.home': 'no_damage', 'q.work': 'yes' };

describe('the answer page', () => {
  let h: DeliveryHarness;
  let owner: TenantWithAdmin;
  let admin: { Authorization: string };
  let broadcastId: string;
  let links: Record<string, string>;

  beforeAll(async () => {
    h = await startDeliveryHarness();
    owner = await new Factory(h.api).tenantWithAdmin();
    admin = bearer(owner.admin.accessToken);
    const dir = new DirectoryFactory(h.api, owner);
    const dept = await dir.department('営業部', undefined, 'SALES');
    await dir.employee({ code: 'J1', name: '山田 太郎', departmentId: dept.id, emails: ['j1@example.jp'] });
    await dir.employee({ code: 'J2', name: '佐藤 花子', departmentId: dept.id, emails: ['j2@example.jp'] });
    await dir.employee({ code: 'E1', name: 'John Smith', departmentId: dept.id, emails: ['e1@example.jp'], locale: 'en' });
    await dir.employee({ code: 'J3', name: '鈴木 一郎', departmentId: dept.id, emails: ['j3@example.jp'] });
    const res = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(admin)
      .send({ templateId: 'preset:earthquake', targets: { all: true } })
      .expect(202);
    broadcastId = res.body.id;
    await waitForBroadcast(h.api, owner.admin.accessToken, broadcastId);
    links = await answerLinks(h.api, broadcastId);
  });
  afterAll(() => h.close());

  const page = (path: string) => h.api.http().get(path);
  const post = (path: string, form: Record<string, string>) => h.api.http().post(path).type('form').send(form);
  const recipient = async (code: string) =>
    (await h.api.owner('SELECT * FROM recipients WHERE broadcast_id = $1 AND employee_code = $2', [broadcastId, code])).rows[0];

  it('shows the alert, the recipient, the state and the questions, in Japanese, and records the first opening', async () => {
    expect((await recipient('J1')).opened_at).toBeNull();
    const res = await page(links.J1!).expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('<html lang="ja">');
    expect(res.text).toContain('地震発生 安否確認');
    expect(res.text).toContain('山田 太郎 さん');
    expect(res.text).toContain('送信者: 人事 太郎');
    expect(res.text).toContain('現在の状態: 未回答');
    expect(res.text).toMatch(/<fieldset><legend>本人 <span class="req">必須<\/span><\/legend>/);
    expect(res.text).toContain('<input type="radio" name="q.self" value="safe" required> 無事');
    expect(res.text).not.toContain('<script');
    // The optional message says 任意 once (the label does not repeat the badge).
    expect(res.text).toContain('<b>メッセージ <span class="opt">任意</span></b>');
    expect(res.text.match(/任意/g)).toHaveLength(1);
    expect(res.text).toContain('hreflang="en" lang="en">English</a>');
    const opened = (await recipient('J1')).opened_at;
    expect(opened).not.toBeNull();
    await page(links.J1!).expect(200);
    expect((await recipient('J1')).opened_at).toEqual(opened);
  });

  it('speaks English to English-speaking recipients, and switches language on request', async () => {
    const en = await page(links.E1!).expect(200);
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Status: Not answered yet');
    expect(en.text).toContain('> Safe</label>');
    const ja = await page(`${links.E1}?lang=ja`).expect(200);
    expect(ja.text).toContain('<html lang="ja">');
    expect((await page(`${links.J1}?lang=en`).expect(200)).text).toContain('Send my answer');
  });

  it('records an answer and confirms what was recorded; a double submission records it once', async () => {
    const key = submissionKey((await page(links.J2!).expect(200)).text);
    const form = { ...ALL_SAFE, message: '自宅にいます', k: key };
    const [first, second] = await Promise.all([post(links.J2!, form), post(links.J2!, form)]);
    for (const res of [first, second]) {
      expect(res.status).toBe(200);
      expect(res.text).toContain('回答を受け付けました');
      expect(res.text).toContain('<dt>本人</dt><dd>無事</dd>');
      expect(res.text).toContain('<dd>自宅にいます</dd>');
    }
    const answers = await h.api.owner(
      'SELECT count(*)::int AS n FROM answers a JOIN recipients r ON r.id = a.recipient_id WHERE r.employee_code = $1 AND r.broadcast_id = $2',
      ['J2', broadcastId],
    );
    expect(answers.rows[0].n).toBe(1);
  });

  it('replaces the current answer when answering again, and keeps the history', async () => {
    await post(links.J3!, { ...ALL_SAFE, k: submissionKey((await page(links.J3!)).text) }).expect(200);
    const again = await page(links.J3!).expect(200);
    expect(again.text).toMatch(/現在の状態: 回答済 \(\d{4}-\d\d-\d\d \d\d:\d\d \(日本時間\)\)/);
    expect(again.text).toContain('name="q.self" value="safe" checked');
    await post(links.J3!, { ...ALL_SAFE, 'q.self': 'minor_injury', k: submissionKey(again.text) }).expect(200);
    const r = await recipient('J3');
    expect(r.choices).toMatchObject({ self: 'minor_injury' });
    const history = await h.api.owner("SELECT choices->>'self' AS self FROM answers WHERE recipient_id = $1 ORDER BY submitted_at", [r.id]);
    expect(history.rows.map((x: { self: string }) => x.self)).toEqual(['safe', 'minor_injury']);
  });

  it('refuses an incomplete or invalid answer with the reasons, keeping what was entered, and records nothing', async () => {
    const key = submissionKey((await page(links.E1!)).text);
    const res = await post(links.E1!, { 'q.self': 'safe', 'q.family': 'unicorn', message: 'x'.repeat(501), k: key, lang: 'en' }).expect(400);
    expect(res.text).toContain('Please check your answers');
    expect(res.text).toContain('<p class="error" id="err-home">Please answer this question</p>');
    expect(res.text).toContain('<p class="error" id="err-family">Please choose one of the options</p>');
    expect(res.text).toContain('Please keep it within 500 characters');
    expect(res.text).toContain('name="q.self" value="safe" checked');
    expect((await recipient('E1')).answered_at).toBeNull();
  });

  it('turns away a form body with too many fields or too many bytes (413), and a repeated field as an invalid answer, recording nothing', async () => {
    const key = submissionKey((await page(links.E1!)).text);
    const many = Array.from({ length: 1_001 }, (_, i) => `f${i}=1`).join('&');
    const tooMany = await h.api.http().post(links.E1!).type('form').send(`q.self=safe&k=${key}&${many}`).expect(413);
    expect(tooMany.text).toMatch(/too many form fields/);
    const big = await h.api
      .http()
      .post(links.E1!)
      .type('form')
      .send(`q.self=safe&k=${key}&message=${'x'.repeat(200_000)}`)
      .expect(413);
    expect(big.text).toMatch(/too large/i);
    const repeated = await h.api
      .http()
      .post(links.E1!)
      .type('form')
      .send(`q.self=safe&q.self=minor_injury&q.family=all_safe&q.home=no_damage&q.work=yes&k=${key}&lang=en`)
      .expect(400);
    expect(repeated.text).toContain('Please check your answers');
    expect((await recipient('E1')).answered_at).toBeNull();
  });

  it('shows one plain page for tampered, expired and unknown links, and slows down whoever tries many', async () => {
    const good = links.J1!;
    const tampered = good.slice(0, -3) + (good.endsWith('AAA') ? 'BBB' : 'AAA');
    const unknown = `/a/t${'A'.repeat(70)}`;
    const bodies = new Set<string>();
    for (const path of [tampered, unknown, '/a/short']) {
      const res = await page(path).set('X-Forwarded-For', '203.0.113.9').expect(404);
      expect(res.text).toContain('このリンクは使えません');
      expect(res.text).not.toMatch(/Error|stack|at \//);
      bodies.add(res.text);
    }
    expect(bodies.size).toBe(1);
    await post(tampered, ALL_SAFE).expect(404);
  });

  it('proxy answers by an admin are marked as proxy, with who entered them, in the audit log', async () => {
    const r = await recipient('J1');
    const res = await h.api
      .http()
      .post(`/v1/broadcasts/${broadcastId}/recipients/${r.id}/answer`)
      .set(admin)
      .send({ choices: { self: 'serious_injury', family: 'unknown', home: 'partial', work: 'no' }, message: '電話で確認' })
      .expect(201);
    expect(res.body).toMatchObject({ source: 'proxy', enteredById: owner.admin.user.id, choices: { self: 'serious_injury' } });
    // Required questions may be left out (the caller only said 「無事です」): a partial answer. An unknown option is refused.
    const bad = await h.api
      .http()
      .post(`/v1/broadcasts/${broadcastId}/recipients/${r.id}/answer`)
      .set(admin)
      .send({ choices: { self: 'fine-ish' } })
      .expect(400);
    expect(bad.body.errors).toEqual([{ field: 'choices.self', reason: 'is not one of the options' }]);
    const audit = await h.api.http().get(`/v1/audit-log?action=answer.proxy`).set(admin).expect(200);
    expect(audit.body.items[0]).toMatchObject({ actorId: owner.admin.user.id, resourceId: r.id });
    const maintainer = await new Factory(h.api).user(owner, 'maintainer');
    await h.api.http().post(`/v1/broadcasts/${broadcastId}/recipients/${r.id}/answer`).set(bearer(maintainer.accessToken)).send({ choices: {} }).expect(403);
  });

  it('after closing, shows the last answer and accepts no more', async () => {
    await h.api.http().post(`/v1/broadcasts/${broadcastId}/close`).set(admin).expect(200);
    const res = await page(links.J2!).expect(200);
    expect(res.text).toContain('この安否確認は締め切られました');
    expect(res.text).toContain('<dd>自宅にいます</dd>');
    expect(res.text).not.toContain('<form');
    await post(links.J2!, { ...ALL_SAFE, k: 'another-key-123' }).expect(409);
    await h.api
      .http()
      .post(`/v1/broadcasts/${broadcastId}/recipients/${(await recipient('J2')).id}/answer`)
      .set(admin)
      .send({ choices: {} })
      .expect(409);
  });
});

describe('bad answer links', () => {
  it('treats expired links like unknown ones; answers 429 to an address that sent too many forged ones, never to a genuine link', async () => {
    const { startTestApi } = await import('./support/test-api.js');
    const { AnswerTokenSigner } = await import('#anpi/alerts');
    const api = await startTestApi({ TRUST_PROXY: 'true' });
    try {
      const signer = api.app.get(AnswerTokenSigner);
      const expired = signer.sign({
        broadcastId: '0190f3c2-7b1e-7a00-8000-00000000abcd',
        recipientId: '0190f3c2-7b1e-7a00-8000-00000000ef01',
        expiresAt: new Date(Date.now() - 1000),
      });
      const res = await api.http().get(`/a/${expired}`).set('X-Forwarded-For', '198.51.100.7').expect(404);
      expect(res.text).toContain('このリンクは使えません');
      const forged = `${expired.slice(0, -4)}AAAA`;
      for (let i = 0; i < 19; i++) await api.http().get(`/a/bad-${i}`).set('X-Forwarded-For', '198.51.100.7').expect(404);
      await api.http().get(`/a/${forged}`).set('X-Forwarded-For', '198.51.100.7').expect(404);
      const blocked = await api.http().get(`/a/${forged}`).set('X-Forwarded-For', '198.51.100.7').expect(429);
      expect(blocked.text).toContain('しばらく待ってからお試しください');
      await api.http().post(`/a/bad-post`).type('form').send({ 'q.self': 'safe' }).set('X-Forwarded-For', '198.51.100.7').expect(429);
      // Employees behind the same address (a carrier's NAT) still reach their own links.
      await api.http().get(`/a/${expired}`).set('X-Forwarded-For', '198.51.100.7').expect(404);
      await api.http().get('/a/bad-other').set('X-Forwarded-For', '198.51.100.8').expect(404);
    } finally {
      await api.close();
    }
  });
});
