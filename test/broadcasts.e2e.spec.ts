import { AnswerTokenSigner } from '#anpi/alerts';
import { bearer, DirectoryFactory, Factory, linkLine, lineUserId, type DepartmentRow, type TenantWithAdmin } from './support/factories.js';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';

describe('broadcasts: launch and fan-out', () => {
  let h: DeliveryHarness;
  let owner: TenantWithAdmin;
  let admin: { Authorization: string };
  let sales: DepartmentRow;
  let ga: DepartmentRow;
  const people: { id: string; code: string }[] = [];

  beforeAll(async () => {
    h = await startDeliveryHarness();
    owner = await new Factory(h.api).tenantWithAdmin();
    admin = bearer(owner.admin.accessToken);
    const dir = new DirectoryFactory(h.api, owner);
    const hq = await dir.department('本社', undefined, 'HQ');
    sales = await dir.department('営業部', hq, 'SALES');
    ga = await dir.department('総務部', hq, 'GA');
    // 0: LINE + 2 emails + mobile; 1: email only; 2: LINE + mobile; 3: nothing; 4: inactive
    people.push(
      await dir.employee({ code: 'P0', name: '山田 太郎', departmentId: sales.id, emails: ['p0a@example.jp', 'p0b@example.jp'], mobiles: ['090-0000-0000'] }),
    );
    people.push(await dir.employee({ code: 'P1', name: '佐藤 花子', departmentId: sales.id, emails: ['p1@example.jp'] }));
    people.push(await dir.employee({ code: 'P2', name: '鈴木 一郎', departmentId: ga.id, mobiles: ['080-2222-2222'] }));
    people.push(await dir.employee({ code: 'P3', name: '高橋 連絡先なし', departmentId: ga.id }));
    people.push(await dir.employee({ code: 'P4', name: '退職 者', departmentId: ga.id, emails: ['p4@example.jp'], active: false }));
    await linkLine(h.api, people[0]!.id, lineUserId(0));
    await linkLine(h.api, people[2]!.id, lineUserId(2));
  });
  afterAll(() => h.close());

  afterEach(() => {
    expect(h.line.violations).toEqual([]);
    expect(h.twilio.violations).toEqual([]);
  });

  it('answers 202, then delivers exactly once per registered contact, with valid personal links', async () => {
    // Accepted before any recipient is resolved (the speed target is measured in the benchmark).
    const res = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(admin)
      .send({ templateId: 'preset:earthquake', targets: { all: true } })
      .expect(202);
    expect(res.body).toMatchObject({ status: 'queued', drill: false, displayTitle: '地震発生 安否確認', recipientCount: null });

    const done = await waitForBroadcast(h.api, owner.admin.accessToken, res.body.id);
    expect(done.recipientCount).toBe(4); // the inactive employee is not a recipient
    expect(done.counts).toEqual({
      line: { pending: 0, sent: 2, failed: 0, skipped: 2, cancelled: 0 },
      email: { pending: 0, sent: 3, failed: 0, skipped: 2, cancelled: 0 },
      sms: { pending: 0, sent: 2, failed: 0, skipped: 2, cancelled: 0 },
    });

    // LINE: one multicast, each linked user exactly once, with the 回答する postback for this broadcast.
    const multicasts = h.line.multicasts.filter((m) => JSON.stringify(m.messages).includes(res.body.id));
    expect(multicasts).toHaveLength(1);
    expect(multicasts[0]!.to.sort()).toEqual([lineUserId(0), lineUserId(2)]);
    expect(multicasts[0]!.accessToken).toBe('platform-line-channel-access-token');
    expect(JSON.stringify(multicasts[0]!.messages)).toContain(`"data":"answer:${res.body.id}"`);

    // Email and SMS: one per registered contact, each with the recipient's own link.
    const signer = h.api.app.get(AnswerTokenSigner);
    const linkIn = (text: string) => {
      const match = /https:\/\/anpi\.test\/a\/([A-Za-z0-9_-]{71})/.exec(text);
      expect(match).not.toBeNull();
      const check = signer.verify(match![1]!);
      expect(check).toMatchObject({ ok: true, broadcastId: res.body.id });
      return (check as { recipientId: string }).recipientId;
    };
    const mails = h.smtp.received.filter((m) => m.subject.includes('地震発生'));
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['p0a@example.jp', 'p0b@example.jp', 'p1@example.jp']);
    const p0Recipients = new Set(mails.filter((m) => m.to[0]!.startsWith('p0')).map((m) => linkIn(m.text)));
    expect(p0Recipients.size).toBe(1); // both of 山田's addresses carry 山田's link
    expect(mails.find((m) => m.to[0] === 'p1@example.jp')!.text).toContain('佐藤 花子 さん');
    expect(mails[0]!.html).toContain('安否を回答する');

    const texts = h.twilio.messages.filter((m) => m.body.includes('地震発生'));
    expect(texts.map((m) => m.to).sort()).toEqual(['+818022222222', '+819000000000']);
    // SMS carry the short link (/s/<14 characters>), which opens the same recipient's page.
    for (const t of texts) {
      const code = /\nhttps:\/\/anpi\.test\/s\/([1-9A-HJ-NP-Za-km-z]{14})$/.exec(t.body)?.[1];
      expect(code).toBeDefined();
      const page = await h.api.http().get(`/s/${code}`).expect(200);
      expect(page.text).toContain(t.to === '+819000000000' ? '山田' : '鈴木');
    }
    expect(texts.every((t) => t.from === '+15005550006')).toBe(true);

    // Skips say why.
    const skipped = await h.api.http().get(`/v1/broadcasts/${res.body.id}/deliveries?state=skipped&limit=100`).set(admin).expect(200);
    expect(skipped.body.items.map((d: { channel: string; name: string; error: string }) => `${d.channel}:${d.name}:${d.error}`).sort()).toEqual(
      [
        'email:高橋 連絡先なし:no email address registered',
        'email:鈴木 一郎:no email address registered',
        'line:佐藤 花子:LINE not linked',
        'line:高橋 連絡先なし:LINE not linked',
        'sms:佐藤 花子:no mobile number registered',
        'sms:高橋 連絡先なし:no mobile number registered',
      ].sort(),
    );
  });

  it('meters each sent delivery once in the usage ledger: LINE messages, SMS segments, emails', async () => {
    const rows = await h.api.owner(
      `SELECT d.channel, count(*)::int AS deliveries, sum(u.units)::int AS units, bool_and(u.delivery_id IS NOT NULL) AS all_metered
       FROM deliveries d LEFT JOIN usage_ledger u ON u.delivery_id = d.id
       WHERE d.tenant_id = $1 AND d.state = 'sent' GROUP BY d.channel ORDER BY d.channel`,
      [owner.tenant.id],
    );
    // Enum order: line, email, sms. Japanese SMS are UCS-2 (70 characters a segment): with the
    // short link the title-only alert is one segment (the 71-character signed link made it two).
    expect(rows.rows).toEqual([
      { channel: 'line', deliveries: 2, units: 2, all_metered: true },
      { channel: 'email', deliveries: 3, units: 3, all_metered: true },
      { channel: 'sms', deliveries: 2, units: 2, all_metered: true },
    ]);
    const extra = await h.api.owner(
      `SELECT count(*)::int AS n FROM usage_ledger u JOIN deliveries d ON d.id = u.delivery_id WHERE u.tenant_id = $1 AND d.state <> 'sent'`,
      [owner.tenant.id],
    );
    expect(extra.rows[0].n).toBe(0);
  });
});
