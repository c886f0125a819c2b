import { AnswerTokenSigner } from '#anpi/alerts';
import { bearer, Factory, type TenantWithAdmin } from './support/factories.js';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';

/** Email through SendGrid's Mail Send: batches of personalizations, retries that never resend an accepted batch. */
describe('email through SendGrid', () => {
  let h: DeliveryHarness;
  let owner: TenantWithAdmin;
  let admin: { Authorization: string };
  let counter = 0;

  beforeAll(async () => {
    h = await startDeliveryHarness({ EMAIL_PROVIDER: 'sendgrid', SENDGRID_BATCH_SIZE: '1000', DELIVERY_ATTEMPTS: '5', PROVIDER_TIMEOUT_MS: '3000' });
    owner = await new Factory(h.api).tenantWithAdmin();
    admin = bearer(owner.admin.accessToken);
    // 1,001 employees, one address each: a job of 1,000 and a job of one.
    await h.api.owner(
      `INSERT INTO employees (id, tenant_id, code, name, emails, mobiles, updated_at)
       SELECT gen_random_uuid(), $1::uuid, 'S' || lpad(g::text, 4, '0'), '送信 ' || g, ARRAY['s' || g || '@example.jp'], '{}', now()
       FROM generate_series(1, 1001) g`,
      [owner.tenant.id],
    );
  });
  afterAll(() => h.close());
  afterEach(() => {
    expect(h.sendgrid.violations).toEqual([]);
    h.sendgrid.faults.clear();
  });

  async function launch(codes?: string[]): Promise<string> {
    const targets = codes
      ? { employeeIds: (await h.api.owner(`SELECT id FROM employees WHERE tenant_id = $1 AND code = ANY($2)`, [owner.tenant.id, codes])).rows.map((r) => r.id) }
      : { all: true };
    const res = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(admin)
      .send({ title: `メール一斉 ${++counter}`, body: '{{name}} さん、回答してください', channels: ['email'], targets })
      .expect(202);
    return res.body.id as string;
  }
  const emailsOf = (id: string) => h.sendgrid.emails.filter((e) => e.subject.includes(`メール一斉 ${id}`));
  const codes = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `S${String(from + i).padStart(4, '0')}`);

  it('sends 1,001 recipients in two requests (1,000 personalizations, then 1), each with its own address, subject and link', async () => {
    const before = h.sendgrid.requests.length;
    const id = await launch();
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id, undefined, 60_000);
    expect(done.counts.email).toMatchObject({ sent: 1001, pending: 0, failed: 0 });
    const requests = h.sendgrid.requests.slice(before);
    expect(requests.map((r) => [r.status, r.personalizations]).sort()).toEqual([
      [202, 1],
      [202, 1000],
    ]);
    const emails = emailsOf(String(counter));
    expect(emails).toHaveLength(1001);
    expect(new Set(emails.map((e) => e.to[0])).size).toBe(1001);
    // Each link verifies to the recipient whose address it was sent to, and the body names them.
    const signer = h.api.app.get(AnswerTokenSigner);
    const recipients = new Map(
      (await h.api.owner(`SELECT id, emails[1] AS email, name FROM recipients WHERE broadcast_id = $1`, [id])).rows.map((r) => [r.id, r]),
    );
    for (const email of emails) {
      const token = /\/a\/([A-Za-z0-9_-]+)/.exec(email.text)![1]!;
      const check = signer.verify(token);
      expect(check.ok).toBe(true);
      const recipient = recipients.get((check as { recipientId: string }).recipientId);
      expect(recipient.email).toBe(email.to[0]);
      expect(email.text).toContain(`${recipient.name} さん`);
      expect(email.html).toContain(`href="https://anpi.test/a/${token}"`);
      expect(email.subject).toBe(`【安否確認】メール一斉 ${counter}`);
      expect(email.customArgs.anpi_delivery_id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const deliveries = (await h.api.http().get(`/v1/broadcasts/${id}/deliveries?limit=5`).set(admin).expect(200)).body.items;
    expect(deliveries.every((d: { emailProvider: string }) => d.emailProvider === 'sendgrid')).toBe(true);
  }, 90_000);

  it('429 with Retry-After: waits as asked and sends each email once', async () => {
    h.sendgrid.fail({ status: 429, times: 1, retryAfter: 1 });
    const started = Date.now();
    const id = await launch(codes(1, 20));
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(done.counts.email).toMatchObject({ sent: 20, failed: 0 });
    expect(emailsOf(String(counter))).toHaveLength(20);
  });

  it('429 without Retry-After: waits from the backoff and sends each email once', async () => {
    h.sendgrid.fail({ status: 429, times: 2 });
    const id = await launch(codes(21, 40));
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id);
    expect(done.counts.email).toMatchObject({ sent: 20, failed: 0 });
    expect(emailsOf(String(counter))).toHaveLength(20);
  });

  it('a 500 refused before accepting: retried, each email sent exactly once', async () => {
    h.sendgrid.fail({ status: 500, times: 2 });
    const id = await launch(codes(41, 60));
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id);
    expect(done.counts.email).toMatchObject({ sent: 20, failed: 0 });
    expect(emailsOf(String(counter))).toHaveLength(20);
  });

  it('a hung request (no answer within the timeout) is retried; its batch is the most that can repeat', async () => {
    // Past the timeout by far; the timeout itself is well above what a request of 1,000 takes under load.
    h.sendgrid.fail({ status: 202, times: 1, delayMs: 6000, when: 'after' });
    const id = await launch(codes(61, 70));
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id);
    expect(done.counts.email).toMatchObject({ sent: 10, failed: 0 });
    const perAddress = countBy(emailsOf(String(counter)).map((e) => e.to[0]!));
    expect(Object.keys(perAddress)).toHaveLength(10);
    expect(Math.max(...Object.values(perAddress))).toBeLessThanOrEqual(2);
  });
});

/** Smaller requests: a batch answered 202 is never sent again, and a lost answer repeats only its own batch. */
describe('email through SendGrid, batches of 10', () => {
  let h: DeliveryHarness;
  let owner: TenantWithAdmin;
  let admin: { Authorization: string };
  let counter = 0;

  beforeAll(async () => {
    h = await startDeliveryHarness({ EMAIL_PROVIDER: 'sendgrid', SENDGRID_BATCH_SIZE: '10', DELIVERY_ATTEMPTS: '5' });
    owner = await new Factory(h.api).tenantWithAdmin();
    admin = bearer(owner.admin.accessToken);
    await h.api.owner(
      `INSERT INTO employees (id, tenant_id, code, name, emails, mobiles, updated_at)
       SELECT gen_random_uuid(), $1::uuid, 'B' || lpad(g::text, 3, '0'), '分割 ' || g, ARRAY['b' || g || '@example.jp'], '{}', now()
       FROM generate_series(1, 25) g`,
      [owner.tenant.id],
    );
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.sendgrid.violations).toEqual([]));

  async function launch(): Promise<string> {
    const res = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(admin)
      .send({ title: `分割送信 ${++counter}`, body: 'テスト', channels: ['email'], targets: { all: true } })
      .expect(202);
    return res.body.id as string;
  }
  const emailsOf = (n: number) => h.sendgrid.emails.filter((e) => e.subject.endsWith(`分割送信 ${n}`));

  it('the second request fails: the first 10 (answered 202) are not sent again, the other 15 go on the retry', async () => {
    const before = h.sendgrid.requests.length;
    h.sendgrid.faults.add({ status: 202, times: 1 }); // the first request passes untouched…
    h.sendgrid.faults.add({ status: 500, times: 1 }); // …the second is refused
    const id = await launch();
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id);
    expect(done.counts.email).toMatchObject({ sent: 25, failed: 0 });
    expect(h.sendgrid.requests.slice(before).map((r) => [r.status, r.personalizations])).toEqual([
      [202, 10],
      [500, 10],
      [202, 10],
      [202, 5],
    ]);
    const perAddress = countBy(emailsOf(counter).map((e) => e.to[0]!));
    expect(Object.keys(perAddress)).toHaveLength(25);
    expect(Object.values(perAddress).every((n) => n === 1)).toBe(true);
  });

  it('the answer to an accepted request is lost (500 after accepting): that batch of 10 repeats, nothing else', async () => {
    h.sendgrid.faults.add({ status: 202, times: 1 });
    h.sendgrid.faults.add({ status: 500, times: 1, when: 'after' });
    const id = await launch();
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id);
    expect(done.counts.email).toMatchObject({ sent: 25, failed: 0 });
    const perAddress = countBy(emailsOf(counter).map((e) => e.to[0]!));
    expect(Object.keys(perAddress)).toHaveLength(25);
    expect(Object.values(perAddress).filter((n) => n === 2)).toHaveLength(10);
    expect(Math.max(...Object.values(perAddress))).toBe(2);
  });
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
