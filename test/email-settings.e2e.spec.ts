import { bearer, DirectoryFactory, Factory, type TenantWithAdmin } from './support/factories.js';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';
import { startTestApi, type TestApi } from './support/test-api.js';

const OWN_KEY = 'SG.tenant-own-account-key.abcdef0123456789';

/** A tenant's own email providers: its SendGrid account (sealed key), and its own failover. */
describe('email provider settings', () => {
  let h: DeliveryHarness;
  let owner: TenantWithAdmin;
  let admin: { Authorization: string };
  let employee: { id: string };

  beforeAll(async () => {
    h = await startDeliveryHarness({ EMAIL_FAILOVER_THRESHOLD: '2', DELIVERY_ATTEMPTS: '6' });
    h.sendgrid.addAccount(OWN_KEY);
    owner = await new Factory(h.api).tenantWithAdmin();
    admin = bearer(owner.admin.accessToken);
    employee = await new DirectoryFactory(h.api, owner).employee({ code: 'M1', name: '設定 一郎', emails: ['ichiro@example.jp'] });
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.sendgrid.violations).toEqual([]));

  const put = (body: Record<string, unknown> | { emailProvider: null }) => h.api.http().put('/v1/settings/channels').set(admin).send(body);
  async function launch(title: string): Promise<string> {
    const res = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(admin)
      .send({ title, body: 'テスト', channels: ['email'], targets: { employeeIds: [employee.id] } });
    expect(res.status).toBe(202);
    return res.body.id as string;
  }

  it("shows the platform's providers until the tenant chooses its own; the API key is sealed and never returned", async () => {
    const before = (await h.api.http().get('/v1/settings/channels').set(admin).expect(200)).body;
    expect(before.emailProvider).toMatchObject({ usingPlatformDefault: true, primary: 'smtp', secondary: null, sendgridApiKeySet: false });
    const saved = await put({ emailProvider: { primary: 'sendgrid', secondary: 'smtp', sendgridApiKey: OWN_KEY } }).expect(200);
    expect(saved.body.emailProvider).toMatchObject({
      usingPlatformDefault: false,
      primary: 'sendgrid',
      secondary: 'smtp',
      sendgridApiKeySet: true,
      eventWebhookUrl: `https://anpi.test/email/events/${owner.tenant.id}`,
    });
    expect(JSON.stringify(saved.body)).not.toContain(OWN_KEY);
    const stored = (await h.api.owner(`SELECT sendgrid_api_key FROM channel_settings WHERE tenant_id = $1`, [owner.tenant.id])).rows[0].sendgrid_api_key;
    expect(stored).not.toContain(OWN_KEY);
  });

  it("sends through the tenant's own SendGrid account", async () => {
    const id = await launch('自社アカウント');
    await waitForBroadcast(h.api, owner.admin.accessToken, id);
    const sent = h.sendgrid.emails.find((e) => e.subject.endsWith('自社アカウント'))!;
    expect(sent.apiKey).toBe(OWN_KEY);
  });

  it("fails over to the tenant's secondary when its own account refuses the key (401), and says so", async () => {
    await put({ emailProvider: { primary: 'sendgrid', secondary: 'smtp', sendgridApiKey: 'SG.revoked-key-of-the-tenant.0000000000' } }).expect(200);
    const id = await launch('鍵失効');
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id);
    expect(done.counts.email).toMatchObject({ sent: 1, failed: 0 });
    expect(h.smtp.to('ichiro@example.jp').filter((m) => m.subject.endsWith('鍵失効'))).toHaveLength(1);
    expect(h.sendgrid.emails.filter((e) => e.subject.endsWith('鍵失効'))).toHaveLength(0);
    const notes = (done as unknown as { emailProviderNotes: { kind: string; reason: string }[] }).emailProviderNotes;
    expect(notes[0]).toMatchObject({ kind: 'failover', from: 'sendgrid', to: 'smtp' });
    expect(notes[0]!.reason).toContain('SendGrid 401');
    const [d] = (await h.api.http().get(`/v1/broadcasts/${id}/deliveries`).set(admin).expect(200)).body.items;
    expect(d).toMatchObject({ emailProvider: 'smtp' });
  });

  it('omitting the key keeps the stored one; null goes back to the platform; a bad verification key is 400', async () => {
    await put({ emailProvider: { primary: 'sendgrid', sendgridApiKey: OWN_KEY } }).expect(200);
    const kept = await put({ emailProvider: { primary: 'sendgrid', secondary: 'smtp' } }).expect(200);
    expect(kept.body.emailProvider).toMatchObject({ sendgridApiKeySet: true, secondary: 'smtp' });
    const bad = await put({ emailProvider: { primary: 'sendgrid', sendgridWebhookPublicKey: 'bm90IGEga2V5' } }).expect(400);
    expect(bad.body.message).toMatch(/sendgridWebhookPublicKey/);
    const wrongKind = await put({ emailProvider: { primary: 'mailgun' } }).expect(400);
    expect(JSON.stringify(wrongKind.body)).toMatch(/primary must be sendgrid or smtp/);
    const reset = await put({ emailProvider: null }).expect(200);
    expect(reset.body.emailProvider).toMatchObject({ usingPlatformDefault: true, sendgridApiKeySet: false });
  });

  it('refuses SendGrid without a key of its own where the platform has no SendGrid account (400)', async () => {
    const api: TestApi = await startTestApi({});
    try {
      const other = await new Factory(api).tenantWithAdmin();
      const res = await api
        .http()
        .put('/v1/settings/channels')
        .set(bearer(other.admin.accessToken))
        .send({ emailProvider: { primary: 'sendgrid' } })
        .expect(400);
      expect(res.body.message).toMatch(/sendgridApiKey is required/);
    } finally {
      await api.close();
    }
  });

  it('a department head or maintainer cannot change providers', async () => {
    const maintainer = await new Factory(h.api).user(owner, 'maintainer');
    await h.api
      .http()
      .put('/v1/settings/channels')
      .set(bearer(maintainer.accessToken))
      .send({ emailProvider: { primary: 'smtp' } })
      .expect(403);
  });
});
