import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { AnswerTokenSigner } from '#anpi/alerts';
import { QueueName } from '#anpi/queue';
import { LineWorksTokens, type LineWorksApp } from '#anpi/channels';
import { bearer, DirectoryFactory, Factory, type TenantWithAdmin } from './support/factories.js';
import { csvFile, parseCsv } from './support/csv.js';
import { startDeliveryHarness, startInProcessWorker, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';
import { postCallback, safeTap, setUpLineWorks, type TestLineWorksApp } from './support/lineworks.js';

/** Retries `check` (which asserts) until it passes, or rethrows its last failure after `timeoutMs`. */
async function settled<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

interface ButtonTemplate {
  type: 'button_template';
  contentText: string;
  actions: { type: string; label: string; uri?: string; postback?: string; text?: string }[];
}

/** LINE WORKS as a channel: a tenant's own app and bot, per-user messages with personal links, 無事です and the inbox. */
describe('LINE WORKS', () => {
  let h: DeliveryHarness;
  let owner: TenantWithAdmin;
  let admin: { Authorization: string };
  let app: TestLineWorksApp;
  let dir: DirectoryFactory;
  let e1: { id: string; code: string };
  let e2: { id: string; code: string };
  let noWorks: { id: string; code: string };

  beforeAll(async () => {
    h = await startDeliveryHarness({ DELIVERY_ATTEMPTS: '6', REMINDER_MINUTE_MS: '200' });
    owner = await new Factory(h.api).tenantWithAdmin();
    admin = bearer(owner.admin.accessToken);
    dir = new DirectoryFactory(h.api, owner);
    e1 = await dir.employee({ code: 'W1', name: '和田 一郎', emails: ['wada@works.test'] });
    e2 = await dir.employee({ code: 'W2', name: '和田 二郎', emails: ['jiro@example.jp'], lineworksId: 'jiro.lw@works.test' });
    noWorks = await dir.employee({ code: 'W3', name: '携帯 三郎', mobiles: ['090-1111-3333'] });
    app = await setUpLineWorks(h, owner.admin.accessToken, 1);
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.lineworks.violations).toEqual([]));

  async function launch(body: Record<string, unknown>): Promise<string> {
    const res = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(admin)
      .send({ templateId: 'preset:earthquake', title: 'LW訓練', channels: ['lineworks'], ...body });
    expect(res.status).toBe(202);
    return res.body.id as string;
  }

  const tokenOf = (uri: string) => uri.slice(uri.lastIndexOf('/') + 1);
  const recipientIdOf = async (broadcastId: string, employeeId: string) =>
    (await h.api.owner('SELECT id FROM recipients WHERE broadcast_id = $1 AND employee_id = $2', [broadcastId, employeeId])).rows[0].id as string;
  const lastTo = (userId: string) => h.lineworks.sentTo(userId).at(-1)!.content as unknown as ButtonTemplate;
  const app1 = (a: TestLineWorksApp): LineWorksApp => ({ ...a, domainId: a.domainId, ratePerMinute: 240 });

  it('keeps the settings sealed, shows the callback URL, and tests the connection in words', async () => {
    const view = (await h.api.http().get('/v1/settings/channels').set(admin).expect(200)).body.lineworks;
    expect(view).toMatchObject({
      configured: true,
      clientId: app.clientId,
      clientSecretSet: true,
      privateKeySet: true,
      botSecretSet: true,
      botId: app.botId,
      ratePerMinute: 240,
      callbackUrl: `https://anpi.test/lineworks/callback/${app.botId}`,
    });
    const all = JSON.stringify((await h.api.http().get('/v1/settings/channels').set(admin)).body);
    for (const secret of [app.clientSecret, app.botSecret, 'PRIVATE KEY']) expect(all).not.toContain(secret);
    const stored = (await h.api.owner('SELECT lineworks_private_key, lineworks_bot_secret FROM channel_settings WHERE tenant_id = $1', [owner.tenant.id]))
      .rows[0];
    expect(stored.lineworks_private_key).not.toContain('PRIVATE KEY');
    expect(stored.lineworks_bot_secret).not.toContain(app.botSecret);

    const ok = await h.api.http().post('/v1/settings/channels/lineworks/test').set(admin).expect(200);
    expect(ok.body).toEqual({ ok: true, message: expect.stringContaining('接続できました') });

    // A second tenant setting up with a wrong client secret hears why in words; a first setup without secrets is 400.
    const other = await new Factory(h.api).tenantWithAdmin();
    const put = (lineworks: Record<string, unknown>) => h.api.http().put('/v1/settings/channels').set(bearer(other.admin.accessToken)).send({ lineworks });
    const missing = await put({ clientId: 'abcd1234', serviceAccount: 'x.serviceaccount@y', botId: '42', domainId: '1' }).expect(400);
    expect(missing.body.message).toMatch(/lineworks.clientSecret, lineworks.privateKey, lineworks.botSecret are required/);
    const badKey = await put({
      clientId: app.clientId,
      clientSecret: 'x'.repeat(10),
      serviceAccount: app.serviceAccount,
      privateKey: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----',
      botId: '43',
      botSecret: 'x'.repeat(8),
      domainId: '1',
    });
    expect(badKey.status).toBe(400);
    expect(badKey.body.message).toMatch(/privateKey could not be read/);
    const taken = await put({
      clientId: app.clientId,
      clientSecret: 'wrong-secret',
      serviceAccount: app.serviceAccount,
      privateKey: app.privateKey,
      botId: app.botId,
      botSecret: 'x'.repeat(8),
      domainId: '1',
    });
    expect(taken.status).toBe(409);
    await put({
      clientId: app.clientId,
      clientSecret: 'wrong-secret',
      serviceAccount: app.serviceAccount,
      privateKey: app.privateKey,
      botId: '44',
      botSecret: 'x'.repeat(8),
      domainId: '1',
    }).expect(200);
    const refused = await h.api.http().post('/v1/settings/channels/lineworks/test').set(bearer(other.admin.accessToken)).expect(200);
    expect(refused.body.ok).toBe(false);
    expect(refused.body.message).toMatch(/認証できませんでした.*Authentication failed/s);
    const maintainer = await new Factory(h.api).user(owner, 'maintainer');
    await h.api.http().post('/v1/settings/channels/lineworks/test').set(bearer(maintainer.accessToken)).expect(403);
  });

  it('gets one token for the app and shares it between two workers; replaces it before it expires', async () => {
    const second = await startInProcessWorker(h.api.config);
    try {
      const before = h.lineworks.tokenRequests;
      const [a, b] = await Promise.all([h.worker!.get(LineWorksTokens).get(app1(app)), second.get(LineWorksTokens).get(app1(app))]);
      expect(a).toBe(b);
      expect(h.lineworks.tokenRequests - before).toBeLessThanOrEqual(1);
      const id = await launch({ title: '共有トークン', targets: { employeeIds: [e1.id, e2.id] } });
      await waitForBroadcast(h.api, owner.admin.accessToken, id);
      expect(h.lineworks.tokenRequests - before).toBeLessThanOrEqual(1);

      // A short-lived token (10 s) is replaced in the last tenth of its life, while it still works.
      const shortLived = await setUpLineWorks(h, (await new Factory(h.api).tenantWithAdmin()).admin.accessToken, 2);
      h.lineworks.tokenTtlSeconds = 10;
      const first = await second.get(LineWorksTokens).get(app1(shortLived));
      await new Promise((resolve) => setTimeout(resolve, 9_100));
      const next = await h.worker!.get(LineWorksTokens).get(app1(shortLived));
      expect(next).not.toBe(first);
      expect(h.lineworks.tokenTimes(next)!.issuedAt).toBeLessThan(h.lineworks.tokenTimes(first)!.expiresAt);
    } finally {
      h.lineworks.tokenTtlSeconds = 86_400;
      await second.close();
    }
  });

  it('sends each employee a button template with their own answer link and 無事です; login id defaults to the first email', async () => {
    const id = await launch({ targets: { employeeIds: [e1.id, e2.id, noWorks.id] } });
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id);
    expect(done.counts.lineworks).toMatchObject({ sent: 2, skipped: 1, failed: 0, pending: 0 });
    const signer = h.api.app.get(AnswerTokenSigner);
    for (const [employee, userId] of [
      [e1, 'wada@works.test'],
      [e2, 'jiro.lw@works.test'],
    ] as const) {
      const sent = h.lineworks.sentTo(userId).filter((m) => (m.content as unknown as ButtonTemplate).contentText?.includes('LW訓練'));
      expect(sent).toHaveLength(1);
      const content = sent[0]!.content as unknown as ButtonTemplate;
      expect(content.type).toBe('button_template');
      const [answer, safe] = content.actions;
      expect(answer).toMatchObject({ type: 'uri', label: '回答する / Answer' });
      const claims = signer.verify(tokenOf(answer!.uri!));
      expect(claims).toMatchObject({ ok: true, broadcastId: id, recipientId: await recipientIdOf(id, employee.id) });
      expect(safe).toMatchObject({ type: 'message', label: '無事です / I am safe', postback: `safe:${tokenOf(answer!.uri!)}` });
    }
    const deliveries = (await h.api.http().get(`/v1/broadcasts/${id}/deliveries`).set(admin).expect(200)).body.items as {
      channel: string;
      state: string;
      error: string | null;
      address: string | null;
    }[];
    expect(deliveries.find((d) => d.state === 'skipped')!.error).toMatch(/no LINE WORKS id/);
    const employee = (await h.api.http().get(`/v1/employees/${e1.id}`).set(admin).expect(200)).body;
    expect(employee).toMatchObject({ lineworksId: null, lineworksTarget: 'wada@works.test' });
  });

  it('waits out a 429 as its rateLimit-reset says, without spending attempts, and sends each message once', async () => {
    await h.worker!.get(LineWorksTokens).get(app1(app)); // the fault is for the message request, not the token's
    h.lineworks.fail({ status: 429, times: 1, retryAfter: 2 });
    const started = Date.now();
    const id = await launch({ title: '制限', targets: { employeeIds: [e1.id, e2.id] } });
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id, undefined, 30_000);
    expect(done.counts.lineworks).toMatchObject({ sent: 2, failed: 0 });
    const tooMany = h.lineworks.responses.filter((r) => r.status === 429 && r.at >= started);
    expect(tooMany).toHaveLength(1);
    // Nothing more goes out until the window resets (rateLimit-reset: 2 s).
    const after = h.lineworks.responses.filter((r) => r.at > tooMany[0]!.at);
    expect(after[0]!.at - tooMany[0]!.at).toBeGreaterThanOrEqual(1_500);
    // The wait was a delay of the send job, not one of its attempts (read once BullMQ has marked it completed,
    // which comes just after the deliveries it recorded completed the broadcast).
    const queue = h.worker!.get<Queue>(getQueueToken(QueueName.LineWorksDeliveries));
    await settled(async () => expect(await queue.getJobState(`send.lineworks.${id}.0.0`)).toBe('completed'));
    const job = await queue.getJob(`send.lineworks.${id}.0.0`);
    expect(job?.attemptsMade).toBe(1);
    expect(job?.data).toMatchObject({ throttledWaits: 1 });
    for (const userId of ['wada@works.test', 'jiro.lw@works.test'])
      expect(h.lineworks.sentTo(userId).filter((m) => (m.content as unknown as ButtonTemplate).contentText.includes('制限'))).toHaveLength(1);
  });

  it('refreshes a token LINE WORKS stopped taking (401) mid-broadcast and retries, sending each once', async () => {
    await h.worker!.get(LineWorksTokens).get(app1(app));
    h.lineworks.revokeTokens();
    const before = h.lineworks.tokenRequests;
    const started = Date.now();
    const id = await launch({ title: '失効', targets: { employeeIds: [e1.id, e2.id] } });
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id);
    expect(done.counts.lineworks).toMatchObject({ sent: 2, failed: 0 });
    expect(h.lineworks.responses.some((r) => r.status === 401 && r.at >= started)).toBe(true);
    expect(h.lineworks.tokenRequests - before).toBe(1);
    for (const userId of ['wada@works.test', 'jiro.lw@works.test'])
      expect(h.lineworks.sentTo(userId).filter((m) => (m.content as unknown as ButtonTemplate).contentText.includes('失効'))).toHaveLength(1);
  });

  it('refuses callbacks without a valid signature over the exact bytes, and records nothing', async () => {
    const event = {
      type: 'message',
      source: { userId: 'user-x', domainId: 1 },
      issuedTime: new Date().toISOString(),
      content: { type: 'text', text: 'hello' },
    };
    const count = async () =>
      (await h.api.owner('SELECT count(*)::int AS n FROM lineworks_callback_events WHERE bot_id = $1', [app.botId])).rows[0].n as number;
    const before = await count();
    const path = `/lineworks/callback/${app.botId}`;
    await h.api.http().post(path).set('Content-Type', 'application/json').send(JSON.stringify(event)).expect(401);
    await postCallback(h, { botId: app.botId, botSecret: 'not-the-bot-secret' }, event).expect(401);
    const compact = JSON.stringify(event);
    const { signature } = await import('#anpi/stand-ins').then((m) => m.LineWorksStandIn.signCallback(app.botSecret, compact));
    const reserialised = await h.api
      .http()
      .post(path)
      .set('Content-Type', 'application/json')
      .set('X-WORKS-Signature', signature)
      .send(JSON.stringify(event, null, 2));
    expect(reserialised.status).toBe(401);
    await postCallback(h, { botId: '999999', botSecret: app.botSecret }, event).expect(401);
    expect(await count()).toBe(before);
    await postCallback(h, app, event).expect(200);
    expect(await count()).toBe(before + 1);
  });

  it('records 無事です once across redeliveries, replies, and learns who the LINE WORKS user is', async () => {
    const id = await launch({ title: '無事確認', targets: { employeeIds: [e1.id] } });
    await waitForBroadcast(h.api, owner.admin.accessToken, id);
    const postback = lastTo('wada@works.test').actions.find((a) => a.type === 'message')!.postback!;
    // Tapped a few seconds before the callback is handled: the answer is dated by the tap.
    const tap = safeTap('works-user-1', postback, new Date(Date.now() - 3_000).toISOString());
    await postCallback(h, app, tap).expect(200);
    await postCallback(h, app, tap).expect(200);
    const recipientId = await recipientIdOf(id, e1.id);
    await settled(async () => {
      const row = (await h.api.owner('SELECT choices, answered_at FROM recipients WHERE id = $1', [recipientId])).rows[0];
      expect(row.choices).toEqual({ self: 'safe' });
    });
    await settled(async () => expect(h.lineworks.sentTo('works-user-1').map((m) => m.content.text)).toEqual([expect.stringContaining('本人: 無事')]));
    const answers = (await h.api.owner(`SELECT source::text, submitted_at FROM answers WHERE recipient_id = $1`, [recipientId])).rows;
    expect(answers).toEqual([{ source: 'lineworks', submitted_at: new Date(tap.issuedTime as string) }]);
    const tally = (await h.api.http().get(`/v1/broadcasts/${id}/tally`).set(admin).expect(200)).body;
    expect(tally.total.answered).toBe(1);
    expect(tally.channels.lineworks).toEqual({ targeted: 1, delivered: 1, answered: 1 });
    const learned = (
      await h.api.owner('SELECT employee_id FROM lineworks_users WHERE tenant_id = $1 AND works_user_id = $2', [owner.tenant.id, 'works-user-1'])
    ).rows;
    expect(learned).toEqual([{ employee_id: e1.id }]);
  });

  it('puts text into the inbox under the employee, replies as on LINE, and sends an admin reply back through the bot', async () => {
    await h.api
      .http()
      .put('/v1/settings/channels')
      .set(admin)
      .send({ onDutyEmails: ['duty@example.jp'] })
      .expect(200);
    await postCallback(h, app, {
      type: 'message',
      source: { userId: 'works-user-1' },
      issuedTime: new Date().toISOString(),
      content: { type: 'text', text: '自宅待機します' },
    }).expect(200);
    const inbox = await settled(async () => {
      const items = (await h.api.http().get('/v1/inbox').set(admin).expect(200)).body.items as {
        id: string;
        text: string;
        channel: string;
        employee: { id: string };
      }[];
      const found = items.find((m) => m.text === '自宅待機します');
      expect(found).toMatchObject({ channel: 'lineworks', employee: { id: e1.id } });
      return found!;
    });
    await settled(async () =>
      expect(h.lineworks.sentTo('works-user-1').at(-1)!.content).toMatchObject({ contentText: expect.stringContaining('安否の回答にはなりません') }),
    );
    await settled(async () => expect(h.smtp.to('duty@example.jp').map((m) => m.subject)).toEqual([expect.stringContaining('LINE WORKSメッセージ: 和田 一郎')]));
    await h.api.http().post(`/v1/inbox/${inbox.id}/reply`).set(admin).send({ text: '了解しました' }).expect(201);
    expect(h.lineworks.sentTo('works-user-1').at(-1)!.content).toEqual({ type: 'text', text: '了解しました' });

    // Someone anpi cannot match gets told so, and nothing lands in the inbox.
    await postCallback(h, app, {
      type: 'message',
      source: { userId: 'stranger' },
      issuedTime: new Date().toISOString(),
      content: { type: 'text', text: '誰？' },
    }).expect(200);
    await settled(async () => expect(h.lineworks.sentTo('stranger')).toHaveLength(1));
    expect(((await h.api.http().get('/v1/inbox').set(admin)).body.items as { text: string }[]).some((m) => m.text === '誰？')).toBe(false);
  });

  it('reminds those who have not answered on LINE WORKS too, saying 【再送】', async () => {
    const id = await launch({ title: '再送確認', reminder: { intervalMinutes: 1, maxReminders: 1 }, targets: { employeeIds: [e1.id, e2.id] } });
    await settled(async () => {
      const b = (await h.api.http().get(`/v1/broadcasts/${id}`).set(admin).expect(200)).body;
      expect(b.remindersSent).toBe(1);
      expect(b.counts.lineworks).toMatchObject({ sent: 4, pending: 0 });
    });
    for (const userId of ['wada@works.test', 'jiro.lw@works.test']) {
      const texts = h.lineworks.sentTo(userId).map((m) => (m.content as unknown as ButtonTemplate).contentText ?? '');
      expect(texts.filter((t) => t.includes('再送確認'))).toEqual([expect.not.stringContaining('【再送】'), expect.stringContaining('【再送】')]);
    }
  });

  it('escalates at once to SMS for those without a LINE WORKS id', async () => {
    const id = await launch({
      title: '段階送信',
      channels: ['lineworks', 'sms'],
      escalation: { order: ['lineworks', 'sms'], afterMinutes: 60 },
      targets: { employeeIds: [e1.id, noWorks.id] },
    });
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id);
    expect(done.counts.lineworks).toMatchObject({ sent: 1, skipped: 1 });
    expect(done.counts.sms).toMatchObject({ sent: 1 });
    expect(h.twilio.messages.filter((m) => m.body.includes('段階送信')).map((m) => m.to)).toEqual(['+819011113333']);
  });

  it("keeps tenants apart: another tenant's bot cannot answer for this tenant's recipients", async () => {
    const id = await launch({ title: '分離', targets: { employeeIds: [e2.id] } });
    await waitForBroadcast(h.api, owner.admin.accessToken, id);
    const postback = lastTo('jiro.lw@works.test').actions.find((a) => a.type === 'message')!.postback!;
    const other = await new Factory(h.api).tenantWithAdmin();
    const otherApp = await setUpLineWorks(h, other.admin.accessToken, 3);
    await postCallback(h, otherApp, safeTap('intruder', postback)).expect(200);
    await settled(async () => expect(h.lineworks.sentTo('intruder').map((m) => m.content.text)).toEqual([expect.stringContaining('確認できませんでした')]));
    const row = (await h.api.owner('SELECT answered_at FROM recipients WHERE id = $1', [await recipientIdOf(id, e2.id)])).rows[0];
    expect(row.answered_at).toBeNull();
    // The other tenant's secret does not open this tenant's callback URL either.
    await postCallback(h, { botId: app.botId, botSecret: otherApp.botSecret }, safeTap('intruder', postback)).expect(401);
  });

  it('meters each LINE WORKS message as one unit, counted against the pack only where the plan says', async () => {
    const rows = (
      await h.api.owner(`SELECT count(*)::int AS n, sum(units)::int AS units FROM usage_ledger WHERE tenant_id = $1 AND channel = 'lineworks'`, [
        owner.tenant.id,
      ])
    ).rows[0];
    const sent = (
      await h.api.owner(`SELECT count(*)::int AS n FROM deliveries WHERE tenant_id = $1 AND channel = 'lineworks' AND state = 'sent'`, [owner.tenant.id])
    ).rows[0].n;
    expect(rows).toEqual({ n: sent, units: sent });
  });

  it('takes LINE WORKS IDs from CSV and writes them back; LINE WORKS joins the default channels once set up', async () => {
    const file = csvFile([
      ['社員番号', '氏名', 'メール', 'LINE WORKS ID'],
      ['W1', '和田 一郎', 'wada@works.test', ''],
      ['W2', '和田 二郎', 'jiro@example.jp', 'jiro2@works.test'],
    ]);
    const res = await h.api.http().post('/v1/employees/import').set(admin).set('Content-Type', 'text/csv').send(file).expect(200);
    expect(res.body).toMatchObject({ updated: 1 });
    const exported = parseCsv((await h.api.http().get('/v1/employees/export').set(admin).expect(200)).text);
    const column = exported[0]!.indexOf('LINE WORKS ID / lineworks_id');
    expect(column).toBeGreaterThan(0);
    expect(exported.find((r) => r[0] === 'W2')![column]).toBe('jiro2@works.test');
    const launched = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(admin)
      .send({ templateId: 'preset:drill', targets: { employeeIds: [e1.id] } })
      .expect(202);
    expect(launched.body.channels).toEqual(['line', 'lineworks', 'email', 'sms']);
    const preview = await h.api
      .http()
      .post('/v1/broadcasts/preview')
      .set(admin)
      .send({ templateId: 'preset:drill', channels: ['lineworks'], targets: { all: true } })
      .expect(200);
    expect(preview.body.lineworks).toMatchObject({ recipients: 2, content: { type: 'button_template' } });
  });
});
