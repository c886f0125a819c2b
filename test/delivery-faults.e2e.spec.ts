import { lineRetryKey } from '#anpi/alerts';
import { bearer, DirectoryFactory, Factory, linkLine, lineUserId, type TenantWithAdmin } from './support/factories.js';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';

/** Providers answering 500, 429, 400 or nothing at all: retried as they should be, never duplicated on LINE. */
describe('delivery under provider faults', () => {
  let h: DeliveryHarness;
  let owner: TenantWithAdmin;
  let admin: { Authorization: string };
  let employee: { id: string };
  let counter = 0;

  beforeAll(async () => {
    h = await startDeliveryHarness({ DELIVERY_ATTEMPTS: '4', DELIVERY_BACKOFF_MS: '50', PROVIDER_TIMEOUT_MS: '500' });
    owner = await new Factory(h.api).tenantWithAdmin();
    admin = bearer(owner.admin.accessToken);
    employee = await new DirectoryFactory(h.api, owner).employee({ code: 'F1', name: '障害 太郎', emails: ['f1@example.jp'], mobiles: ['090-1111-1111'] });
    await linkLine(h.api, employee.id, lineUserId(1));
  });
  afterAll(() => h.close());
  afterEach(() => {
    expect(h.line.violations).toEqual([]);
    expect(h.twilio.violations).toEqual([]);
  });

  async function launch(channels: string[]) {
    const res = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(admin)
      .send({ title: `障害テスト ${++counter}`, body: 'テスト', channels, targets: { employeeIds: [employee.id] } })
      .expect(202);
    return res.body.id as string;
  }
  const deliveries = async (id: string) => (await h.api.http().get(`/v1/broadcasts/${id}/deliveries`).set(admin).expect(200)).body.items;
  const lineRequests = (id: string) => h.line.requests.filter((r) => r.retryKey === lineRetryKey(id, 0, 0));

  it('LINE accepted the multicast but the answer was lost (500): the retry with the same key gets 409 and counts as sent, once', async () => {
    h.line.fail({ status: 500, times: 1, when: 'after' });
    const id = await launch(['line']);
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id);
    expect(done.counts.line).toMatchObject({ sent: 1, pending: 0, failed: 0 });
    expect(lineRequests(id).map((r) => r.status)).toEqual([500, 409]);
    expect(h.line.multicasts.filter((m) => m.retryKey === lineRetryKey(id, 0, 0))).toHaveLength(1);
    const [d] = await deliveries(id);
    expect(d).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('LINE refused with 500 before accepting: retried with the same key, delivered exactly once', async () => {
    h.line.fail({ status: 500, times: 2 });
    const id = await launch(['line']);
    await waitForBroadcast(h.api, owner.admin.accessToken, id);
    expect(lineRequests(id).map((r) => r.status)).toEqual([500, 500, 200]);
    expect(h.line.deliveriesTo(lineUserId(1))).toBeGreaterThan(0);
    expect(h.line.multicasts.filter((m) => m.retryKey === lineRetryKey(id, 0, 0))).toHaveLength(1);
  });

  it('LINE answered 429 with Retry-After: the retry waits at least that long', async () => {
    h.line.fail({ status: 429, times: 1, retryAfter: 1 });
    const id = await launch(['line']);
    await waitForBroadcast(h.api, owner.admin.accessToken, id);
    const [first, second] = lineRequests(id);
    expect([first!.status, second!.status]).toEqual([429, 200]);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('a provider throttling longer than all the attempts allow: waited out as asked, still delivered, attempts not spent', async () => {
    h.line.fail({ status: 429, times: 7, retryAfter: 1 });
    h.twilio.fail({ status: 429, times: 7, retryAfter: 1 });
    const id = await launch(['line', 'sms']);
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id, undefined, 30_000);
    expect(done.counts).toMatchObject({ line: { sent: 1, failed: 0 }, sms: { sent: 1, failed: 0 } });
    expect(lineRequests(id).map((r) => r.status)).toEqual([429, 429, 429, 429, 429, 429, 429, 200]);
    const sent: { channel: string; state: string; attempts: number }[] = await deliveries(id);
    // Eight tries each, twice the four attempts a job has here: waiting as asked spent none of them.
    expect(sent.map((d) => [d.channel, d.state, d.attempts]).sort()).toEqual([
      ['line', 'sent', 8],
      ['sms', 'sent', 8],
    ]);
  }, 40_000);

  it('LINE answering 429 without Retry-After more often than the attempts allow: waited out, delivered once, attempts not spent', async () => {
    h.line.fail({ status: 429, times: 6 });
    h.twilio.fail({ status: 429, times: 6 });
    const id = await launch(['line', 'sms']);
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id, undefined, 30_000);
    expect(done.counts).toMatchObject({ line: { sent: 1, failed: 0 }, sms: { sent: 1, failed: 0 } });
    const tries = lineRequests(id);
    expect(tries.map((r) => r.status)).toEqual([429, 429, 429, 429, 429, 429, 200]);
    // Growing waits (50 ms doubling here, DELIVERY_BACKOFF_MS), not a fixed retry loop.
    expect(tries[6]!.at - tries[5]!.at).toBeGreaterThan(tries[1]!.at - tries[0]!.at);
    const sent: { channel: string; state: string; attempts: number }[] = await deliveries(id);
    expect(sent.map((d) => [d.channel, d.state, d.attempts]).sort()).toEqual([
      ['line', 'sent', 7],
      ['sms', 'sent', 7],
    ]);
  }, 40_000);

  it("LINE refused with 400: failed with LINE's reason, not retried", async () => {
    h.line.fail({
      status: 400,
      times: 1,
      body: { message: 'The request body has 1 error(s)', details: [{ message: 'May not be empty', property: 'messages[0].text' }] },
    });
    const id = await launch(['line']);
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id);
    expect(done.counts.line).toMatchObject({ failed: 1, sent: 0, pending: 0 });
    expect(lineRequests(id)).toHaveLength(1);
    const [d] = await deliveries(id);
    expect(d.error).toBe('LINE 400: The request body has 1 error(s): messages[0].text May not be empty');
  });

  it('LINE hung: the attempt times out and is retried with the same key; still exactly one delivery', async () => {
    h.line.fail({ status: 200, times: 1, delayMs: 1500, when: 'after' });
    const id = await launch(['line']);
    await waitForBroadcast(h.api, owner.admin.accessToken, id);
    expect(h.line.multicasts.filter((m) => m.retryKey === lineRetryKey(id, 0, 0))).toHaveLength(1);
    const [d] = await deliveries(id);
    expect(d.state).toBe('sent');
  });

  it('after the last attempt a delivery is failed, never left pending', async () => {
    h.line.fail({ status: 503, times: 4 });
    const id = await launch(['line']);
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id);
    expect(done.counts.line).toMatchObject({ failed: 1, pending: 0 });
    expect(lineRequests(id)).toHaveLength(4);
    const [d] = await deliveries(id);
    expect(d).toMatchObject({ state: 'failed', attempts: 4 });
    expect(d.error).toMatch(/^LINE 503/);
  });

  it("SMS: 500 then accepted is sent once; 400 fails with Twilio's reason", async () => {
    h.twilio.fail({ status: 500, times: 1 });
    const retried = await launch(['sms']);
    await waitForBroadcast(h.api, owner.admin.accessToken, retried);
    expect((await deliveries(retried))[0]).toMatchObject({ state: 'sent', attempts: 2 });

    h.twilio.fail({ status: 400, times: 1 });
    const refused = await launch(['sms']);
    await waitForBroadcast(h.api, owner.admin.accessToken, refused);
    expect((await deliveries(refused))[0]).toMatchObject({ state: 'failed', error: "Twilio 400: 21211 The 'To' number is not a valid phone number." });
  });

  it('email: a temporary refusal (451) is retried; a permanent one (550) fails at once', async () => {
    h.smtp.fail({ status: 451, times: 1 });
    const retried = await launch(['email']);
    await waitForBroadcast(h.api, owner.admin.accessToken, retried);
    expect((await deliveries(retried))[0]).toMatchObject({ state: 'sent', attempts: 2 });

    h.smtp.fail({ status: 550, times: 1 });
    const refused = await launch(['email']);
    await waitForBroadcast(h.api, owner.admin.accessToken, refused);
    const [d] = await deliveries(refused);
    expect(d.state).toBe('failed');
    expect(d.error).toMatch(/^SMTP 550/);
  });

  it('meters only what was sent, once per delivery, across all these retries', async () => {
    const rows = await h.api.owner(
      `SELECT (SELECT count(*)::int FROM deliveries WHERE tenant_id = $1 AND state = 'sent') AS sent,
              (SELECT count(*)::int FROM usage_ledger WHERE tenant_id = $1) AS metered,
              (SELECT count(*)::int FROM usage_ledger u JOIN deliveries d ON d.id = u.delivery_id WHERE u.tenant_id = $1 AND d.state = 'sent') AS matched`,
      [owner.tenant.id],
    );
    expect(rows.rows[0].sent).toBeGreaterThan(0);
    expect(rows.rows[0]).toEqual({ sent: rows.rows[0].sent, metered: rows.rows[0].sent, matched: rows.rows[0].sent });
  });
});
