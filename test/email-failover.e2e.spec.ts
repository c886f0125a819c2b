import { bearer, Factory, type TenantWithAdmin } from './support/factories.js';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';

/** SendGrid first, SMTP behind it: a failing primary hands the rest of the alert over, and takes it back after the cool-down. */
describe('email failover', () => {
  let h: DeliveryHarness;
  let owner: TenantWithAdmin;
  let admin: { Authorization: string };
  let counter = 0;

  beforeAll(async () => {
    h = await startDeliveryHarness({
      EMAIL_PROVIDER: 'sendgrid',
      EMAIL_SECONDARY_PROVIDER: 'smtp',
      SENDGRID_BATCH_SIZE: '10',
      EMAIL_FAILOVER_THRESHOLD: '2',
      EMAIL_FAILOVER_COOLDOWN_SECONDS: '1',
      DELIVERY_ATTEMPTS: '6',
      SEND_CONCURRENCY_EMAIL: '1',
      // SMTP at 10 a second: 30 emails outlast the 1 s cool-down, so a probe happens mid-alert.
      EMAIL_RATE_PER_SECOND: '10',
    });
    owner = await new Factory(h.api).tenantWithAdmin();
    admin = bearer(owner.admin.accessToken);
    await h.api.owner(
      `INSERT INTO employees (id, tenant_id, code, name, emails, mobiles, updated_at)
       SELECT gen_random_uuid(), $1::uuid, 'F' || lpad(g::text, 3, '0'), '切替 ' || g, ARRAY['f' || g || '@example.jp'], '{}', now()
       FROM generate_series(1, 40) g`,
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
      .send({ title: `切替送信 ${++counter}`, body: 'テスト', channels: ['email'], targets: { all: true } })
      .expect(202);
    return res.body.id as string;
  }
  const reached = (n: number) => {
    const subject = `【安否確認】切替送信 ${n}`;
    return [
      ...h.sendgrid.emails.filter((e) => e.subject === subject).map((e) => e.to[0]!),
      ...h.smtp.received.filter((m) => m.subject === subject).map((m) => m.to[0]!),
    ];
  };
  const deliveries = async (id: string) => (await h.api.http().get(`/v1/broadcasts/${id}/deliveries?limit=100`).set(admin).expect(200)).body.items;

  it('the primary answers 500: after two failed requests the rest goes through SMTP, everyone reached once, the broadcast says so', async () => {
    h.sendgrid.faults.add({ status: 202, times: 1 }); // the first batch of 10 goes through SendGrid
    h.sendgrid.faults.add({ status: 500, times: 1_000 });
    const id = await launch();
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id);
    h.sendgrid.faults.clear();
    expect(done.counts.email).toMatchObject({ sent: 40, failed: 0, pending: 0 });
    const addresses = reached(counter);
    expect(addresses).toHaveLength(40);
    expect(new Set(addresses).size).toBe(40);
    const byProvider = countBy((await deliveries(id)).map((d: { emailProvider: string }) => d.emailProvider));
    expect(byProvider).toEqual({ sendgrid: 10, smtp: 30 });
    const notes = (done as unknown as { emailProviderNotes: { kind: string; from: string; to: string; reason: string }[] }).emailProviderNotes;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: 'failover', from: 'sendgrid', to: 'smtp' });
    expect(notes[0]!.reason).toContain('SendGrid 500');
  });

  it('after the cool-down one batch probes the primary; it answers, and the next alert is all SendGrid again', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const id = await launch();
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id);
    expect(done.counts.email).toMatchObject({ sent: 40, failed: 0 });
    expect(countBy((await deliveries(id)).map((d: { emailProvider: string }) => d.emailProvider))).toEqual({ sendgrid: 40 });
    expect(reached(counter)).toHaveLength(40);
  });

  it('an alert under way moves back to the primary once its probe succeeds, and the broadcast notes the recovery', async () => {
    h.sendgrid.faults.add({ status: 500, times: 2 }); // two failures: over to SMTP for 1 s
    const id = await launch();
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id, undefined, 30_000);
    expect(done.counts.email).toMatchObject({ sent: 40, failed: 0 });
    expect(new Set(reached(counter)).size).toBe(40);
    expect(reached(counter)).toHaveLength(40);
    const kinds = (done as unknown as { emailProviderNotes: { kind: string }[] }).emailProviderNotes.map((n) => n.kind);
    expect(kinds).toEqual(['failover', 'recovered']);
    const byProvider = countBy((await deliveries(id)).map((d: { emailProvider: string }) => d.emailProvider));
    expect(byProvider.smtp).toBeGreaterThanOrEqual(10);
    expect(byProvider.sendgrid).toBeGreaterThanOrEqual(1);
  });
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
