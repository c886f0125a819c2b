import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';
import { bearer, DirectoryFactory, Factory, linkLine, lineUserId } from './support/factories.js';

/** For the first seconds after a launch, email and SMS wait while LINE batches are pending. */
describe('LINE first', () => {
  let h: DeliveryHarness;

  beforeAll(async () => {
    h = await startDeliveryHarness({ LINE_HEAD_START_MS: '8000' });
  });
  afterAll(() => h.close());

  it('sends email only after LINE accepted its batch, within the head start', async () => {
    const owner = await new Factory(h.api).tenantWithAdmin();
    const e = await new DirectoryFactory(h.api, owner).employee({ emails: ['first@example.jp'] });
    await linkLine(h.api, e.id, lineUserId(7001));
    h.line.latencyMs = 1_500; // a slow LINE
    const launched = await h.api.http().post('/v1/broadcasts').set(bearer(owner.admin.accessToken)).send({ templateId: 'preset:earthquake', channels: ['line', 'email'], targets: { employeeIds: [e.id] } }).expect(202);
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, launched.body.id);
    expect(done.counts).toMatchObject({ line: { sent: 1 }, email: { sent: 1 } });
    const times = await h.api.owner(`SELECT channel::text, sent_at, attempts FROM deliveries WHERE broadcast_id = $1 ORDER BY sent_at`, [launched.body.id]);
    expect(times.rows.map((r) => r.channel)).toEqual(['line', 'email']);
    // Waiting is not a failed attempt.
    expect(times.rows.find((r) => r.channel === 'email')!.attempts).toBe(1);
  });

  it('does not hold email back when LINE has nothing pending', async () => {
    h.line.latencyMs = 0;
    const owner = await new Factory(h.api).tenantWithAdmin();
    const e = await new DirectoryFactory(h.api, owner).employee({ emails: ['noline@example.jp'] });
    const started = Date.now();
    const launched = await h.api.http().post('/v1/broadcasts').set(bearer(owner.admin.accessToken)).send({ templateId: 'preset:earthquake', channels: ['line', 'email'], targets: { employeeIds: [e.id] } }).expect(202);
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, launched.body.id);
    expect(done.counts).toMatchObject({ line: { skipped: 1 }, email: { sent: 1 } });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
