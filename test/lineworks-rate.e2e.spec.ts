import { Factory, bearer, type TenantWithAdmin } from './support/factories.js';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';
import { setUpLineWorks } from './support/lineworks.js';

const PEOPLE = 250;
const PER_MINUTE = 240;

/**
 * LINE WORKS at its real rate limit: 250 people at 240 requests a minute take about a minute, sent
 * by several jobs at once through the shared limiter, with no 429s, each message once, and the
 * broadcast saying when the LINE WORKS part will be done. (The one slow test of the channel: the
 * limit is the point.)
 */
describe('LINE WORKS at 240 a minute', () => {
  let h: DeliveryHarness;
  let owner: TenantWithAdmin;

  beforeAll(async () => {
    h = await startDeliveryHarness({ SEND_CONCURRENCY_LINEWORKS: '4' });
    owner = await new Factory(h.api).tenantWithAdmin();
    await h.api.owner(
      `INSERT INTO employees (id, tenant_id, code, name, emails, mobiles, updated_at)
       SELECT gen_random_uuid(), $1, 'R' || lpad(i::text, 4, '0'), '社員 ' || i, ARRAY['r' || i || '@works.test'], '{}', now()
       FROM generate_series(1, ${PEOPLE}) i`,
      [owner.tenant.id],
    );
    await setUpLineWorks(h, owner.admin.accessToken, 7, { ratePerMinute: PER_MINUTE });
    h.lineworks.rateLimit = PER_MINUTE;
  });
  afterAll(() => h.close());

  it('sends all 250 exactly once without a 429 storm, finishing when the broadcast said it would', async () => {
    const launched = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(bearer(owner.admin.accessToken))
      .send({ templateId: 'preset:drill', channels: ['lineworks'], targets: { all: true } })
      .expect(202);
    const id = launched.body.id as string;
    // Once sending has begun, the view says when the rest should be done.
    const early = await waitForBroadcast(h.api, owner.admin.accessToken, id, (b) => ((b.counts?.lineworks?.sent as number) ?? 0) >= 4, 20_000);
    const progress = early.lineworksProgress as { pending: number; ratePerMinute: number; expectedDoneAt: string };
    expect(progress.ratePerMinute).toBe(PER_MINUTE);
    const expectedDoneAt = Date.parse(progress.expectedDoneAt);
    expect(expectedDoneAt - Date.now()).toBeCloseTo((progress.pending * 60_000) / PER_MINUTE, -4);

    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id, (b) => b.status === 'completed', 120_000);
    expect(done.counts.lineworks).toMatchObject({ sent: PEOPLE, pending: 0, failed: 0 });
    const finished = Date.parse((done.lineworksProgress as { lastSentAt: string }).lastSentAt);
    // Within 10 % of the estimate (one job's group and the poll's timing are the slack).
    expect(Math.abs(finished - expectedDoneAt)).toBeLessThan(0.1 * (expectedDoneAt - Date.parse(early.launchedAt as string)) + 2_000);

    const perUser = new Map<string, number>();
    for (const m of h.lineworks.messages) perUser.set(m.userId, (perUser.get(m.userId) ?? 0) + 1);
    expect(perUser.size).toBe(PEOPLE);
    expect([...perUser.values()].every((n) => n === 1)).toBe(true);
    expect(h.lineworks.responses.filter((r) => r.status === 429).length).toBeLessThanOrEqual(1);
    // About a minute: 250 at 4 a second.
    const first = Math.min(...h.lineworks.messages.map((m) => m.at));
    const last = Math.max(...h.lineworks.messages.map((m) => m.at));
    expect(last - first).toBeGreaterThan(55_000);
    expect(h.lineworks.violations).toEqual([]);
  }, 150_000);
});
