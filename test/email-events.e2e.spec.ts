import { generateKeyPairSync } from 'node:crypto';
import { SendgridStandIn, type AcceptedEmail } from '#anpi/stand-ins';
import { bearer, DirectoryFactory, Factory, type TenantWithAdmin } from './support/factories.js';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';
import { eventually } from './support/eventually.js';

interface DeliveryItem {
  id: string;
  channel: string;
  state: string;
  address: string | null;
  error: string | null;
  providerEvent: string | null;
  providerEventNote: string | null;
  deliveredAt: string | null;
}

/** SendGrid's Event Webhook: signed, idempotent, and a bounce escalates at once and flags the address. */
describe('email events (SendGrid Event Webhook)', () => {
  let h: DeliveryHarness;
  let a: TenantWithAdmin;
  let b: TenantWithAdmin;
  let adminA: { Authorization: string };
  let adminB: { Authorization: string };
  let taro: { id: string };
  let hanako: { id: string };
  let jiro: { id: string };
  let ownAccount: SendgridStandIn;
  let counter = 0;

  beforeAll(async () => {
    h = await startDeliveryHarness({ EMAIL_PROVIDER: 'sendgrid' });
    ownAccount = await SendgridStandIn.start([]); // tenant B's own SendGrid account: only its signing key is used
    a = await new Factory(h.api).tenantWithAdmin();
    b = await new Factory(h.api).tenantWithAdmin();
    adminA = bearer(a.admin.accessToken);
    adminB = bearer(b.admin.accessToken);
    const dirA = new DirectoryFactory(h.api, a);
    taro = await dirA.employee({ code: 'T1', name: '不達 太郎', emails: ['taro@example.jp'], mobiles: ['090-1234-0001'] });
    hanako = await dirA.employee({ code: 'T2', name: '配達 花子', emails: ['hanako@example.jp'] });
    jiro = await new DirectoryFactory(h.api, b).employee({ code: 'U1', name: '別社 次郎', emails: ['jiro@example.jp'] });
    await h.api
      .http()
      .put('/v1/settings/channels')
      .set(adminB)
      .send({ emailProvider: { primary: 'sendgrid', sendgridWebhookPublicKey: ownAccount.webhookPublicKey } })
      .expect(200);
  });
  afterAll(async () => {
    await ownAccount.close();
    await h.close();
  });
  afterEach(() => expect(h.sendgrid.violations).toEqual([]));

  async function launch(admin: { Authorization: string }, employeeIds: string[], extra: Record<string, unknown> = {}): Promise<string> {
    const res = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(admin)
      .send({ title: `到達確認 ${++counter}`, body: 'テスト', channels: ['email'], targets: { employeeIds }, ...extra })
      .expect(202);
    return res.body.id as string;
  }
  const sentTo = (address: string, n = counter): AcceptedEmail => h.sendgrid.emails.find((e) => e.to[0] === address && e.subject.endsWith(`到達確認 ${n}`))!;
  const deliveries = async (admin: { Authorization: string }, id: string): Promise<DeliveryItem[]> =>
    (await h.api.http().get(`/v1/broadcasts/${id}/deliveries`).set(admin).expect(200)).body.items;
  const post = (key: string, signed: { body: string; headers: Record<string, string> }) =>
    h.api.http().post(`/email/events/${key}`).set(signed.headers).send(signed.body);
  const recorded = async (sgEventId: string) =>
    (await h.api.owner(`SELECT count(*)::int AS n FROM email_webhook_events WHERE sg_event_id = $1`, [sgEventId])).rows[0].n as number;

  it('refuses a post whose signature is missing, made with another key, over an altered body or too old (401), recording nothing', async () => {
    const id = await launch(adminA, [hanako.id]);
    await waitForBroadcast(h.api, a.admin.accessToken, id);
    const event = h.sendgrid.event(sentTo('hanako@example.jp'), 'delivered');
    const good = h.sendgrid.signedEvents([event]);
    const unsigned = { body: good.body, headers: { 'content-type': 'application/json' } };
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const wrongKey = h.sendgrid.signedEvents([event], { signWith: otherKey });
    const altered = { body: good.body.replace('delivered', 'bounce'), headers: good.headers };
    const stale = h.sendgrid.signedEvents([event], { timestamp: Math.floor(Date.now() / 1000) - 600 });
    for (const bad of [unsigned, wrongKey, altered]) {
      const res = await post('platform', bad).expect(401);
      expect(res.body.message).toMatch(/signature/i);
    }
    expect((await post('platform', stale).expect(401)).body.message).toMatch(/five minutes/);
    expect(await recorded(event.sg_event_id as string)).toBe(0);
    expect((await deliveries(adminA, id))[0]).toMatchObject({ state: 'sent', providerEvent: null, deliveredAt: null });
    await post('unknown-account', good).expect(401);
    await post('platform', h.sendgrid.signedEvents({ not: 'an array' } as never)).expect(400);
  });

  it('delivered records the time, deferred is noted, and a redelivered batch is applied once', async () => {
    const id = await launch(adminA, [hanako.id]);
    await waitForBroadcast(h.api, a.admin.accessToken, id);
    const email = sentTo('hanako@example.jp');
    const deferred = h.sendgrid.event(email, 'deferred', { response: '421 try again later', attempt: '1' });
    const first = await post('platform', h.sendgrid.signedEvents([deferred])).expect(200);
    expect(first.body).toEqual({ received: 1, applied: 1 });
    expect((await deliveries(adminA, id))[0]).toMatchObject({ state: 'sent', providerEvent: 'deferred', providerEventNote: '421 try again later' });
    const delivered = h.sendgrid.event(email, 'delivered', { response: '250 OK' });
    const batch = [delivered, h.sendgrid.event(email, 'processed')];
    expect((await post('platform', h.sendgrid.signedEvents(batch)).expect(200)).body).toEqual({ received: 2, applied: 2 });
    expect((await post('platform', h.sendgrid.signedEvents(batch)).expect(200)).body).toEqual({ received: 2, applied: 0 });
    const [d] = await deliveries(adminA, id);
    expect(d).toMatchObject({ state: 'sent', providerEvent: 'delivered' });
    expect(new Date(d!.deliveredAt!).getTime()).toBe((delivered.timestamp as number) * 1000);
    expect(await recorded(delivered.sg_event_id as string)).toBe(1);
  });

  it('a bounce fails the delivery with the reason and sends the next channel (SMS) at once, not after the escalation delay', async () => {
    const id = await launch(adminA, [taro.id, hanako.id], {
      channels: ['email', 'sms'],
      escalation: { order: ['email', 'sms'], afterMinutes: 60 },
    });
    await eventually(async () => sentTo('taro@example.jp'), 'the email to taro');
    const smsBefore = h.twilio.messages.length;
    const bounce = h.sendgrid.event(sentTo('taro@example.jp'), 'bounce', {
      type: 'bounce',
      reason: '550 5.1.1 The email account that you tried to reach does not exist',
      status: '5.1.1',
    });
    await post('platform', h.sendgrid.signedEvents([bounce])).expect(200);
    const email = (await deliveries(adminA, id)).find((d) => d.channel === 'email' && d.address === 'taro@example.jp')!;
    expect(email).toMatchObject({ state: 'failed', providerEvent: 'bounce' });
    expect(email.error).toContain('does not exist');
    const sms = await eventually(async () => h.twilio.messages.slice(smsBefore).find((m) => m.to === '+819012340001'), 'the SMS after the bounce');
    expect(sms.body).toContain(`到達確認 ${counter}`);
    expect(h.twilio.messages.slice(smsBefore).filter((m) => m.body.includes(`到達確認 ${counter}`))).toHaveLength(1);
    // Hanako's email went through: nothing more for her.
    expect((await deliveries(adminA, id)).filter((d) => d.channel === 'sms')).toHaveLength(1);
    // The address is flagged on the employee, for HR to fix, and in the unanswered list.
    const employee = (await h.api.http().get(`/v1/employees/${taro.id}`).set(adminA).expect(200)).body;
    expect(employee.emailBounces).toEqual([expect.objectContaining({ address: 'taro@example.jp', event: 'bounce' })]);
    const unanswered = (await h.api.http().get(`/v1/broadcasts/${id}/recipients?state=unanswered`).set(adminA).expect(200)).body.items;
    expect(unanswered.find((r: { employeeId: string }) => r.employeeId === taro.id).bouncedEmails).toEqual(['taro@example.jp']);
    expect(unanswered.find((r: { employeeId: string }) => r.employeeId === hanako.id).bouncedEmails).toEqual([]);
  });

  it('later alerts skip the flagged address with the reason until an admin clears it', async () => {
    const skipped = await launch(adminA, [taro.id]);
    await waitForBroadcast(h.api, a.admin.accessToken, skipped);
    const [d] = await deliveries(adminA, skipped);
    expect(d).toMatchObject({ state: 'skipped', address: 'taro@example.jp' });
    expect(d!.error).toMatch(/bounced earlier/);
    expect(sentTo('taro@example.jp')).toBeUndefined();
    const cleared = await h.api.http().delete(`/v1/employees/${taro.id}/email-bounces`).set(adminA).expect(200);
    expect(cleared.body.emailBounces).toEqual([]);
    const again = await launch(adminA, [taro.id]);
    await waitForBroadcast(h.api, a.admin.accessToken, again);
    expect((await deliveries(adminA, again))[0]).toMatchObject({ state: 'sent' });
    expect(sentTo('taro@example.jp')).toBeDefined();
    // Another tenant cannot clear it (or see the employee at all).
    await h.api.http().delete(`/v1/employees/${taro.id}/email-bounces`).set(adminB).expect(404);
  });

  it("a tenant's own account changes only its own deliveries; the platform's account finds each delivery's tenant itself", async () => {
    const idA = await launch(adminA, [hanako.id]);
    const idB = await launch(adminB, [jiro.id]);
    await waitForBroadcast(h.api, a.admin.accessToken, idA);
    await waitForBroadcast(h.api, b.admin.accessToken, idB);
    const toHanako = sentTo('hanako@example.jp', counter - 1);
    const toJiro = sentTo('jiro@example.jp');
    // On B's own URL, signed with B's key: an event naming A's delivery changes nothing.
    const foreign = ownAccount.event(toHanako, 'bounce', { type: 'bounce', reason: '550 no such user' });
    expect((await post(b.tenant.id, ownAccount.signedEvents([foreign])).expect(200)).body).toEqual({ received: 1, applied: 1 });
    expect((await deliveries(adminA, idA))[0]).toMatchObject({ state: 'sent', providerEvent: null });
    expect((await h.api.http().get(`/v1/employees/${hanako.id}`).set(adminA).expect(200)).body.emailBounces).toEqual([]);
    // B's URL with the platform's key is refused.
    await post(b.tenant.id, h.sendgrid.signedEvents([h.sendgrid.event(toJiro, 'delivered')])).expect(401);
    // The shared account: one batch about both tenants' deliveries, each applied in its own tenant.
    const both = [h.sendgrid.event(toHanako, 'delivered'), h.sendgrid.event(toJiro, 'delivered')];
    expect((await post('platform', h.sendgrid.signedEvents(both)).expect(200)).body).toEqual({ received: 2, applied: 2 });
    expect((await deliveries(adminA, idA))[0]).toMatchObject({ providerEvent: 'delivered' });
    expect((await deliveries(adminB, idB))[0]).toMatchObject({ providerEvent: 'delivered' });
  });
});
