import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QueueName } from '#anpi/queue';
import { LineEventClaims } from '#anpi/line';
import type { LineStandInChannel, WebhookEvent } from '#anpi/stand-ins';
import { PLATFORM_LINE_SECRET, PLATFORM_LINE_TOKEN, startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';
import { eventually } from './support/eventually.js';
import { bearer, DirectoryFactory, Factory, linkLine, lineUserId, type DepartmentRow, type TenantWithAdmin } from './support/factories.js';

const LINK_URL = /https:\/\/anpi\.test\/l\/([A-Za-z0-9_-]+)\?c=([0-9a-z]+)(?:&amp;|&|\\u0026)?(?:i=([A-Za-z0-9_-]{71}))?/;

describe('LINE: webhook, account linking and the inbox', () => {
  let h: DeliveryHarness;
  let owner: TenantWithAdmin;
  let admin: { Authorization: string };
  let dir: DirectoryFactory;
  let sales: DepartmentRow;
  let platform: LineStandInChannel;
  let base: string;

  const employeeRow = async (id: string) =>
    (await h.api.owner('SELECT line_user_id, line_display_name, line_status, line_channel_key FROM employees WHERE id = $1', [id])).rows[0];
  const send = (events: WebhookEvent[], channel = platform) => h.line.webhooks.send(channel, events);
  /** The newest 連携する button sent to a LINE user: the link token, channel key and invitation. */
  const linkButton = (userId: string, withInvite = false) =>
    eventually(async () => {
      const match = h.line
        .textsTo(userId)
        .reverse()
        .map((t) => LINK_URL.exec(t))
        .find((m) => m && (!withInvite || m[3]));
      return match ? { linkToken: match[1]!, channelKey: match[2]!, invite: match[3] } : null;
    }, `a link button for ${userId}`);
  const textsAfter = (userId: string, count: number) =>
    eventually(async () => (h.line.textsTo(userId).length > count ? h.line.textsTo(userId).slice(count).join('\n') : null), `a message to ${userId}`);
  const inviteTokenFor = async (employeeId: string, email: string) => {
    await h.api.http().post(`/v1/employees/${employeeId}/line-invite`).set(admin).expect(202, { queued: 1, skipped: 0 });
    const mail = await eventually(async () => h.smtp.to(email).find((m) => m.subject.includes('LINE連携のお願い')), `the invitation to ${email}`);
    return { mail, token: /\/l\/i\/([A-Za-z0-9_-]{71})/.exec(mail.text)![1]! };
  };
  /** The link page's confirm button, for a button carrying an invitation: LINE's dialog URL. */
  const confirmInvite = async (button: { linkToken: string; channelKey: string; invite?: string }) => {
    const res = await h.api.http().post(`/l/${button.linkToken}/confirm`).type('form').send({ c: button.channelKey, i: button.invite }).expect(303);
    return res.headers.location as string;
  };

  beforeAll(async () => {
    h = await startDeliveryHarness();
    // LINE calls the webhook over real HTTP.
    await h.api.app.listen(0, '127.0.0.1');
    base = (await h.api.app.getUrl()).replace('[::1]', '127.0.0.1');
    platform = h.line.addChannel({ accessToken: PLATFORM_LINE_TOKEN, secret: PLATFORM_LINE_SECRET, webhookUrl: `${base}/line/webhook/platform` });
    owner = await new Factory(h.api).tenantWithAdmin();
    admin = bearer(owner.admin.accessToken);
    dir = new DirectoryFactory(h.api, owner);
    sales = await dir.department('営業部', undefined, 'SALES');
  });
  afterAll(() => h.close());

  afterEach(() => {
    expect(h.line.webhooks.violations).toEqual([]);
    expect(h.line.violations).toEqual([]);
    expect(h.twilio.violations).toEqual([]);
  });

  describe('webhook signatures', () => {
    const recorded = async (id: string) =>
      (await h.api.owner('SELECT count(*)::int AS n FROM line_webhook_events WHERE webhook_event_id = $1', [id])).rows[0].n;

    it('processes a correctly signed body and refuses a missing, wrong or one-byte-altered one with 401, processing nothing', async () => {
      const user = lineUserId(100);
      const good = h.line.webhooks.follow(user);
      expect((await send([good])).status).toBe(200);
      await textsAfter(user, 0);
      expect(await recorded(good.webhookEventId)).toBe(1);

      const refused: WebhookEvent[] = [];
      for (const options of [
        { signature: null },
        { signature: 'bm90IHRoZSByaWdodCBzaWduYXR1cmUgYXQgYWxsIQo=' },
        { tamper: (raw: string) => raw.replace('"follow"', '"fallow"') },
      ]) {
        const event = h.line.webhooks.follow(lineUserId(101));
        refused.push(event);
        const res = await h.line.webhooks.send(platform, [event], options);
        expect(res.status).toBe(401);
        expect(JSON.parse(res.body)).toMatchObject({ statusCode: 401, message: expect.stringMatching(/x-line-signature/) });
      }
      // Altered by exactly one byte, the signature otherwise right.
      const oneByte = h.line.webhooks.follow(lineUserId(101));
      refused.push(oneByte);
      const flipped = await h.line.webhooks.send(platform, [oneByte], {
        tamper: (raw) => raw.slice(0, -2) + String.fromCharCode(raw.charCodeAt(raw.length - 2) ^ 1) + raw.slice(-1),
      });
      expect(flipped.status).toBe(401);
      // Signed with another channel's secret, or sent to a channel that does not exist.
      const other = h.line.webhooks.follow(lineUserId(101));
      refused.push(other);
      expect((await send([other], { ...platform, secret: 'another-channel-secret' })).status).toBe(401);
      expect((await send([h.line.webhooks.follow(lineUserId(101))], { ...platform, webhookUrl: `${base}/line/webhook/1699999999` })).status).toBe(401);

      for (const event of refused) expect(await recorded(event.webhookEventId)).toBe(0);
      expect(h.line.sentTo(lineUserId(101))).toEqual([]);
    });

    it("acknowledges LINE's verification call (no events) and unknown event types", async () => {
      expect((await send([])).status).toBe(200);
      const leave = {
        type: 'leave',
        webhookEventId: '01JD0000000000000000000000',
        timestamp: Date.now(),
        mode: 'active',
        source: { type: 'group', groupId: `C${'a'.repeat(32)}` },
        deliveryContext: { isRedelivery: false },
      };
      expect((await send([leave])).status).toBe(200);
    });
  });

  describe('account linking', () => {
    it('links with employee code and a one-time code, without ever saying whether a code exists', async () => {
      const e = await dir.employee({ code: 'L001', name: '山田 太郎', departmentId: sales.id, emails: ['l001@example.jp'] });
      const user = lineUserId(1);
      h.line.users.set(user, 'やまちゃん');
      await send([h.line.webhooks.follow(user)]);
      const button = await linkButton(user);
      expect(button.channelKey).toBe('platform');
      expect(h.line.textsTo(user).join()).toMatch(/友だち追加ありがとうございます/);

      const page = await h.api.http().get(`/l/${button.linkToken}?c=platform`).expect(200);
      expect(page.text).toMatch(/企業コード/);
      expect(page.headers['content-security-policy']).toContain(new URL(h.line.accountLinkUrl).origin);

      // An unknown employee code gets the same page, and nobody gets a code.
      const emailsBefore = h.smtp.received.length;
      const unknown = await h.api
        .http()
        .post(`/l/${button.linkToken}/code`)
        .type('form')
        .send({ c: 'platform', company: owner.tenant.slug, employee: 'NOBODY' })
        .expect(200);
      const known = await h.api
        .http()
        .post(`/l/${button.linkToken}/code`)
        .type('form')
        .send({ c: 'platform', company: owner.tenant.slug, employee: 'Ｌ００１' })
        .expect(200);
      const strip = (html: string) => html.replace(/name="s" value="[^"]+"/, '');
      expect(strip(unknown.text)).toBe(strip(known.text));
      const session = /name="s" value="([^"]+)"/.exec(known.text)![1]!;
      const mail = await eventually(async () => h.smtp.to('l001@example.jp').find((m) => m.subject.includes('確認コード')), 'the one-time code');
      const code = /(\d{6})/.exec(mail.subject)![1]!;
      expect(h.smtp.received.length).toBe(emailsBefore + 1);

      const wrong = await h.api
        .http()
        .post(`/l/${button.linkToken}/verify`)
        .type('form')
        .send({ c: 'platform', s: session, code: code === '000000' ? '111111' : '000000' })
        .expect(400);
      expect(wrong.text).toMatch(/あと4回/);
      const right = await h.api.http().post(`/l/${button.linkToken}/verify`).type('form').send({ c: 'platform', s: session, code }).expect(303);
      const dialog = new URL(right.headers.location as string);
      expect(dialog.origin + dialog.pathname).toBe(h.line.accountLinkUrl);
      expect(dialog.searchParams.get('linkToken')).toBe(button.linkToken);
      expect(dialog.searchParams.get('nonce')!.length).toBeGreaterThanOrEqual(22); // ≥128 bits in base64url
      expect(await employeeRow(e.id)).toMatchObject({ line_status: 'unlinked' }); // nothing until LINE confirms

      const before = h.line.textsTo(user).length;
      expect(await (await fetch(dialog)).json()).toEqual({ result: 'ok', webhookStatus: 200 });
      await eventually(async () => (await employeeRow(e.id)).line_status === 'linked', 'the link');
      expect(await employeeRow(e.id)).toEqual({ line_user_id: user, line_display_name: 'やまちゃん', line_status: 'linked', line_channel_key: 'platform' });
      expect(await textsAfter(user, before)).toMatch(/山田 太郎 さん、連携が完了しました/);
      const audit = await h.api.http().get('/v1/audit-log?action=employee.line_linked').set(admin).expect(200);
      expect(audit.body.items.some((a: { resourceId: string }) => a.resourceId === e.id)).toBe(true);

      // Department heads see only whether LINE is linked.
      const head = await new Factory(h.api).user(owner, 'department_head');
      await h.api
        .http()
        .put(`/v1/users/${head.user.id}/departments`)
        .set(admin)
        .send({ departmentIds: [sales.id] })
        .expect(200);
      const seen = await h.api.http().get(`/v1/employees/${e.id}`).set(bearer(head.accessToken)).expect(200);
      expect(seen.body.channels).toMatchObject({ line: true });
      expect(JSON.stringify(seen.body)).not.toMatch(/やまちゃん|U0000|lineStatus|lineDisplayName/);

      // The session is spent, and five wrong codes end any session.
      await h.api.http().post(`/l/${button.linkToken}/verify`).type('form').send({ c: 'platform', s: session, code }).expect(400);
      const again = await h.api
        .http()
        .post(`/l/${button.linkToken}/code`)
        .type('form')
        .send({ c: 'platform', company: owner.tenant.slug, employee: 'NOBODY' })
        .expect(200);
      const s2 = /name="s" value="([^"]+)"/.exec(again.text)![1]!;
      for (let i = 0; i < 4; i++)
        await h.api.http().post(`/l/${button.linkToken}/verify`).type('form').send({ c: 'platform', s: s2, code: '123456' }).expect(400);
      const last = await h.api.http().post(`/l/${button.linkToken}/verify`).type('form').send({ c: 'platform', s: s2, code: '123456' }).expect(400);
      expect(last.text).toMatch(/有効期限が切れたか、試行回数の上限/);
      await h.api.http().get(`/l/${button.linkToken}?c=1234`).expect(404);
    });

    it('links through a personal invitation (friend link, QR code, prefilled message); expired, reused and unknown nonces link nobody', async () => {
      const e = await dir.employee({ code: 'L002', name: '佐藤 花子', departmentId: sales.id, emails: ['l002@example.jp'] });
      const { mail, token } = await inviteTokenFor(e.id, 'l002@example.jp');
      expect(mail.text).toContain('https://line.me/R/ti/p/%40anpi-test');
      expect(mail.attachments).toEqual([expect.objectContaining({ cid: 'line-friend-qr', contentType: 'image/png' })]);
      const invitePage = await h.api.http().get(`/l/i/${token}`).expect(200);
      expect(invitePage.text).toContain(`https://line.me/R/oaMessage/%40anpi-test/?${encodeURIComponent(`連携 ${token}`)}`);
      expect(invitePage.text).toMatch(/src="data:image\/png;base64,/);
      await h.api
        .http()
        .get(`/l/i/${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`)
        .expect(404);

      const user = lineUserId(2);
      await send([h.line.webhooks.follow(user), h.line.webhooks.text(user, `連携 ${token}`)]);
      let button = await linkButton(user, true);
      expect(button.invite).toBe(token);
      const confirm = await h.api.http().get(`/l/${button.linkToken}?c=platform&i=${token}`).expect(200);
      expect(confirm.text).toMatch(/佐藤 花子 さん/);

      // Expired nonce: LINE reports ok, anpi links nobody and says so.
      let dialog = await confirmInvite(button);
      await h.api.owner(`UPDATE line_link_nonces SET expires_at = now() - interval '1 second' WHERE employee_id = $1`, [e.id]);
      let before = h.line.textsTo(user).length;
      await fetch(dialog);
      expect(await textsAfter(user, before)).toMatch(/連携できませんでした/);
      expect(await employeeRow(e.id)).toMatchObject({ line_status: 'unlinked', line_user_id: null });

      // A fresh attempt links.
      before = h.line.textsTo(user).length;
      await send([h.line.webhooks.text(user, `連携 ${token}`)]);
      await textsAfter(user, before);
      button = await linkButton(user, true);
      dialog = await confirmInvite(button);
      await fetch(dialog);
      await eventually(async () => (await employeeRow(e.id)).line_user_id === user, 'the link');

      // The same nonce again (another LINE user replaying it), and a nonce anpi never issued.
      const intruder = lineUserId(3);
      const nonce = new URL(dialog).searchParams.get('nonce')!;
      const replay = h.line.webhooks.accountLink(intruder, nonce);
      const unknown = h.line.webhooks.accountLink(intruder, 'A'.repeat(32));
      await send([replay, unknown]);
      await eventually(async () => h.line.textsTo(intruder).length >= 2, 'both refusals');
      expect(h.line.textsTo(intruder).join()).toMatch(/連携できませんでした/);
      expect((await h.api.owner('SELECT count(*)::int AS n FROM employees WHERE line_user_id = $1', [intruder])).rows[0].n).toBe(0);
      expect(await employeeRow(e.id)).toMatchObject({ line_user_id: user, line_status: 'linked' });
      // The linked user's own event again (a retried job): still a success, not a scare.
      const n = h.line.textsTo(user).length;
      await send([h.line.webhooks.accountLink(user, nonce)]);
      expect(await textsAfter(user, n)).toMatch(/連携が完了しました/);

      // Invitations, link tokens, nonces and LINE user ids never reach the logs.
      const logs = JSON.stringify(h.api.logs);
      for (const secret of [token, button.linkToken, nonce, user]) expect(logs).not.toContain(secret);
      expect(logs).toContain('/l/i/[token]');
    });

    it('a failed result changes nothing and tells the employee; a confirmed second link replaces the first', async () => {
      const first = await dir.employee({ code: 'L003', name: '鈴木 一郎', emails: ['l003@example.jp'] });
      const second = await dir.employee({ code: 'L004', name: '鈴木 二郎', emails: ['l004@example.jp'] });
      const user = lineUserId(4);
      await linkLine(h.api, first.id, user);
      const { token } = await inviteTokenFor(second.id, 'l004@example.jp');

      h.line.accountLinkResult = 'failed';
      try {
        await send([h.line.webhooks.text(user, `連携 ${token}`)]);
        const button = await linkButton(user, true);
        const before = h.line.textsTo(user).length;
        await fetch(await confirmInvite(button));
        expect(await textsAfter(user, before)).toMatch(/連携できませんでした/);
        expect(h.line.sentTo(user).at(-1)!.kind).toBe('push'); // LINE sends no reply token with a failure
      } finally {
        h.line.accountLinkResult = 'ok';
      }
      expect(await employeeRow(second.id)).toMatchObject({ line_status: 'unlinked' });
      expect(await employeeRow(first.id)).toMatchObject({ line_status: 'linked', line_user_id: user });

      const before = h.line.textsTo(user).length;
      await send([h.line.webhooks.text(user, `連携 ${token}`)]);
      await textsAfter(user, before);
      const dialog = await confirmInvite(await linkButton(user, true));
      expect(await employeeRow(first.id)).toMatchObject({ line_status: 'linked' }); // not before LINE confirms
      await fetch(dialog);
      await eventually(async () => (await employeeRow(second.id)).line_user_id === user, 'the new link');
      expect(await employeeRow(first.id)).toMatchObject({ line_status: 'unlinked', line_user_id: null });
    });

    it('invites a whole department subtree; refuses what cannot be invited with a reason', async () => {
      const team = await dir.department('第一課', sales, 'S1');
      const a = await dir.employee({ code: 'L010', name: '招待 A', departmentId: team.id, emails: ['l010@example.jp'] });
      await dir.employee({ code: 'L011', name: '招待 B', departmentId: team.id }); // no contact
      const res = await h.api.http().post('/v1/employees/line-invite').set(admin).send({ departmentId: team.id }).expect(202);
      expect(res.body).toEqual({ queued: 1, skipped: 1 });
      await eventually(async () => h.smtp.to('l010@example.jp').length === 1, 'the invitation');
      await linkLine(h.api, a.id, lineUserId(10));
      await h.api
        .http()
        .post(`/v1/employees/${a.id}/line-invite`)
        .set(admin)
        .expect(409)
        .expect((r) => expect(r.body.code).toBe('already_linked'));
      await h.api.http().post('/v1/employees/line-invite').set(admin).send({ departmentId: 'nope' }).expect(400);
      await h.api.http().post('/v1/employees/00000000-0000-4000-8000-000000000000/line-invite').set(admin).expect(404);
      const head = await new Factory(h.api).user(owner, 'department_head');
      await h.api.http().post(`/v1/employees/${a.id}/line-invite`).set(bearer(head.accessToken)).expect(403);
    });
  });

  describe('follow, unfollow and unlinking', () => {
    it('after unfollow, alerts skip LINE and go by email; following again makes LINE reachable', async () => {
      const e = await dir.employee({ code: 'L020', name: '高橋 三郎', emails: ['l020@example.jp'] });
      const user = lineUserId(20);
      await linkLine(h.api, e.id, user);
      await send([h.line.webhooks.unfollow(user)]);
      await eventually(async () => (await employeeRow(e.id)).line_status === 'unreachable', 'unreachable');

      const launched = await h.api
        .http()
        .post('/v1/broadcasts')
        .set(admin)
        .send({
          templateId: 'preset:earthquake',
          channels: ['line', 'email'],
          targets: { employeeIds: [e.id] },
          escalation: { order: ['line', 'email'], afterMinutes: 30 },
        })
        .expect(202);
      await waitForBroadcast(h.api, owner.admin.accessToken, launched.body.id);
      expect(h.line.deliveriesTo(user)).toBe(0);
      expect(h.smtp.to('l020@example.jp').some((m) => m.subject.includes('安否確認'))).toBe(true);
      const deliveries = await h.api.owner('SELECT channel, state, error FROM deliveries WHERE broadcast_id = $1 ORDER BY channel::text', [launched.body.id]);
      expect(deliveries.rows).toEqual([
        { channel: 'email', state: 'sent', error: null },
        { channel: 'line', state: 'skipped', error: expect.stringMatching(/unreachable/) },
      ]);

      const n = h.line.textsTo(user).length;
      await send([h.line.webhooks.follow(user, true)]);
      expect(await textsAfter(user, n)).toMatch(/おかえりなさい/);
      expect(await employeeRow(e.id)).toMatchObject({ line_status: 'linked' });
    });

    it('a follow or unfollow handled after a later one changes nothing (separate requests are separate jobs, in any order)', async () => {
      const e = await dir.employee({ code: 'L021', name: '順番 四郎', emails: ['l021@example.jp'] });
      const user = lineUserId(21);
      await linkLine(h.api, e.id, user);
      const lineQueue = h.worker!.get<Queue>(getQueueToken(QueueName.Line));
      /** Every LINE event job handled: an event that changes nothing leaves nothing else to wait for. */
      const handled = () =>
        eventually(async () => {
          const counts = await lineQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
          return Object.values(counts).every((n) => n === 0) || null;
        }, 'the LINE event jobs');
      const at = (event: WebhookEvent, msAgo: number) => ({ ...event, timestamp: Date.now() - msAgo });

      await send([at(h.line.webhooks.follow(user, true), 0)]);
      await handled();
      await send([at(h.line.webhooks.unfollow(user), 5_000)]);
      await handled();
      expect(await employeeRow(e.id)).toMatchObject({ line_status: 'linked' });

      await send([at(h.line.webhooks.unfollow(user), 0)]);
      await eventually(async () => (await employeeRow(e.id)).line_status === 'unreachable', 'unreachable');
      await send([at(h.line.webhooks.follow(user, true), 5_000)]);
      await handled();
      expect(await employeeRow(e.id)).toMatchObject({ line_status: 'unreachable' });

      await send([h.line.webhooks.follow(user, true)]);
      await eventually(async () => (await employeeRow(e.id)).line_status === 'linked', 'linked again');
    });

    it('the employee unlinks from LINE, an admin from the API; both audited', async () => {
      const mine = await dir.employee({ code: 'L030', name: '解除 本人', emails: ['l030@example.jp'] });
      const theirs = await dir.employee({ code: 'L031', name: '解除 管理者', emails: ['l031@example.jp'] });
      const user = lineUserId(30);
      await linkLine(h.api, mine.id, user);
      await linkLine(h.api, theirs.id, lineUserId(31));
      await send([h.line.webhooks.text(user, '連携解除')]);
      expect(await textsAfter(user, 0)).toMatch(/"data":"unlink"/);
      await send([h.line.webhooks.postback(user, 'unlink')]);
      await eventually(async () => (await employeeRow(mine.id)).line_status === 'unlinked', 'unlinked');

      await h.api.http().delete(`/v1/employees/${theirs.id}/line-link`).set(admin).expect(204);
      await h.api.http().delete(`/v1/employees/${theirs.id}/line-link`).set(admin).expect(404);
      expect(await employeeRow(theirs.id)).toMatchObject({ line_status: 'unlinked', line_user_id: null, line_channel_key: null });
      const audit = await h.api.http().get('/v1/audit-log?action=employee.line_unlinked').set(admin).expect(200);
      const entries = audit.body.items.map((a: { resourceId: string; actorType: string; details: { by: string } }) => [
        a.resourceId,
        a.actorType,
        a.details.by,
      ]);
      expect(entries).toEqual(
        expect.arrayContaining([
          [mine.id, 'system', 'employee'],
          [theirs.id, 'user', 'admin'],
        ]),
      );
    });
  });

  describe('inbox and the one-tap answer', () => {
    let e: { id: string };
    let broadcastId: string;
    const user = lineUserId(40);
    /** An earthquake alert on LINE to these employees, every delivery done; its id. */
    const launchOnLine = async (employeeIds: string[]): Promise<string> => {
      const launched = await h.api
        .http()
        .post('/v1/broadcasts')
        .set(admin)
        .send({ templateId: 'preset:earthquake', channels: ['line'], targets: { employeeIds } })
        .expect(202);
      await waitForBroadcast(h.api, owner.admin.accessToken, launched.body.id);
      return launched.body.id as string;
    };

    beforeAll(async () => {
      e = await dir.employee({ code: 'L040', name: '中村 四郎', departmentId: sales.id, emails: ['l040@example.jp'] });
      await linkLine(h.api, e.id, user);
      await h.api
        .http()
        .put('/v1/settings/channels')
        .set(admin)
        .send({ onDutyEmails: ['Duty@Example.jp'] })
        .expect(200);
      broadcastId = await launchOnLine([e.id]);
    });

    it('stores what employees write, attributed to the employee, emails the on-duty contacts and answers with the answer link', async () => {
      const event = h.line.webhooks.text(user, '自宅が停電しています。出社は午後になります。');
      await send([event]);
      const reply = await textsAfter(user, 0);
      expect(reply).toMatch(/安否の回答にはなりません/);
      const link = /https:\/\/anpi\.test\/a\/([A-Za-z0-9_-]{71})/.exec(reply)![1]!;
      await h.api.http().get(`/a/${link}`).expect(200);

      const inbox = await eventually(async () => {
        const res = await h.api.http().get('/v1/inbox').set(admin).expect(200);
        return res.body.total === 1 && res.body;
      }, 'the inbox');
      expect(inbox.items[0]).toMatchObject({
        text: '自宅が停電しています。出社は午後になります。',
        employee: { id: e.id, code: 'L040', name: '中村 四郎', departmentName: '営業部', lineDisplayName: 'LINE user' },
        replyText: null,
      });
      const duty = await eventually(async () => h.smtp.to('duty@example.jp')[0], 'the on-duty email');
      expect(duty.subject).toContain('中村 四郎');
      expect(duty.text).toContain('自宅が停電しています');

      // Redelivered: nothing twice (not stored, not emailed, not answered).
      const sent = h.line.sentTo(user).length;
      expect((await send([h.line.webhooks.redelivery(event)])).status).toBe(200);
      await send([h.line.webhooks.sticker(user)]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await h.api.http().get('/v1/inbox').set(admin)).body.total).toBe(1);
      expect(h.smtp.to('duty@example.jp')).toHaveLength(1);
      expect(h.line.sentTo(user)).toHaveLength(sent);

      const id = inbox.items[0].id as string;
      await h.api.http().post(`/v1/inbox/${id}/reply`).set(admin).send({ text: '' }).expect(400);
      const replied = await h.api.http().post(`/v1/inbox/${id}/reply`).set(admin).send({ text: '了解しました。無理をしないでください。' }).expect(201);
      expect(replied.body).toMatchObject({ replyText: '了解しました。無理をしないでください。', repliedAt: expect.any(String) });
      expect(h.line.sentTo(user).at(-1)).toMatchObject({ kind: 'push', messages: [{ type: 'text', text: '了解しました。無理をしないでください。' }] });
      const maintainer = await new Factory(h.api).user(owner, 'maintainer');
      await h.api.http().get('/v1/inbox').set(bearer(maintainer.accessToken)).expect(403);
      await h.api.http().post('/v1/inbox/00000000-0000-4000-8000-000000000000/reply').set(admin).send({ text: 'x' }).expect(404);
    });

    it('無事です records 本人 = 無事 in one tap, shows in the tally, and replies with the link for the rest', async () => {
      const alert = h.line.multicasts.find((m) => m.to.includes(user))!;
      const quick = (alert.messages[0] as { quickReply: { items: { action: { data: string } }[] } }).quickReply.items.map((i) => i.action.data);
      expect(quick).toEqual([`safe:${broadcastId}`, `answer:${broadcastId}`]);

      const before = h.line.textsTo(user).length;
      const tap = h.line.webhooks.postback(user, `safe:${broadcastId}`);
      await send([tap]);
      expect(await textsAfter(user, before)).toMatch(/「本人: 無事」を記録しました[\s\S]*https:\/\/anpi\.test\/a\//);
      await send([h.line.webhooks.redelivery(tap)]);
      const tally = await eventually(async () => {
        const res = await h.api.http().get(`/v1/broadcasts/${broadcastId}/tally`).set(admin).expect(200);
        return res.body.total.answered === 1 && res.body;
      }, 'the tally');
      expect(tally.total.questions.self).toEqual({ safe: 1 });
      // Counted (safety first), and apart as partial: the other required questions are still empty.
      expect(tally.total).toMatchObject({ answered: 1, answeredPartially: 1 });
      const answers = await h.api.owner('SELECT source, choices FROM answers WHERE broadcast_id = $1', [broadcastId]);
      expect(answers.rows).toEqual([{ source: 'line', choices: { self: 'safe' } }]);

      // 回答する: the personal link.
      const n = h.line.textsTo(user).length;
      await send([h.line.webhooks.postback(user, `answer:${broadcastId}`)]);
      expect(await textsAfter(user, n)).toMatch(/https:\/\/anpi\.test\/a\//);
    });

    it('a 無事です tap handled after a form the employee sent later leaves the form as the current answer', async () => {
      const alert = await launchOnLine([e.id]);
      // The tap is made first, then the form from the alert's link; the tap reaches the worker last
      // (a flood's backlog, or LINE redelivering it).
      const tap = { ...h.line.webhooks.postback(user, `safe:${alert}`), timestamp: Date.now() - 5_000 };
      const n = h.line.textsTo(user).length;
      await send([h.line.webhooks.postback(user, `answer:${alert}`)]);
      const link = /https:\/\/anpi\.test\/a\/([A-Za-z0-9_-]{71})/.exec(await textsAfter(user, n))![1]!;
      const form = { 'q.self': 'minor_injury', 'q.family': 'all_safe', 'q.home': 'no_damage', 'q.work': 'no' };
      await h.api.http().post(`/a/${link}`).type('form').send(form).expect(200);
      const before = h.line.textsTo(user).length;
      await send([tap]);
      await textsAfter(user, before);

      const history = await h.api.owner(
        `SELECT a.source, a.choices->>'self' AS self, a.submitted_at < (SELECT submitted_at FROM answers WHERE broadcast_id = $1 AND source = 'self') AS earlier
           FROM answers a WHERE a.broadcast_id = $1 ORDER BY a.submitted_at`,
        [alert],
      );
      expect(history.rows).toEqual([
        { source: 'line', self: 'safe', earlier: true },
        { source: 'self', self: 'minor_injury', earlier: false },
      ]);
      const current = await h.api.owner(`SELECT choices->>'self' AS self, choices->>'work' AS work FROM recipients WHERE broadcast_id = $1`, [alert]);
      expect(current.rows).toEqual([{ self: 'minor_injury', work: 'no' }]);
      const tally = await eventually(async () => {
        const res = await h.api.http().get(`/v1/broadcasts/${alert}/tally`).set(admin).expect(200);
        return res.body.total.answered === 1 && res.body;
      }, 'the tally');
      expect(tally.total.questions.self).toEqual({ minor_injury: 1 });
    });

    /** Exactly `taps` messages to the user after the first `before`, every one a reply (none a push), stragglers given time to arrive. */
    const expectOneReplyEach = async (before: number, taps: number) => {
      await eventually(async () => h.line.sentTo(user).length - before >= taps || null, 'a reply to every tap');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const replies = h.line.sentTo(user).slice(before);
      expect(replies).toHaveLength(taps);
      expect(replies.every((m) => m.kind === 'reply')).toBe(true);
    };

    it('webhooks arriving together are recorded together: each request 200, each event once, a redelivery sent alongside dropped', async () => {
      const taps = Array.from({ length: 40 }, () => h.line.webhooks.postback(user, `answer:${broadcastId}`));
      const bodies: WebhookEvent[][] = [];
      for (let i = 0; i < taps.length; i += 2) bodies.push(taps.slice(i, i + 2));
      // Every tenth tap again, in another request sent at the same moment.
      for (let i = 0; i < taps.length; i += 10) bodies.push([h.line.webhooks.redelivery(taps[i]!)]);
      const before = h.line.sentTo(user).length;
      const responses = await Promise.all(bodies.map((events) => send(events)));
      expect(responses.map((r) => r.status)).toEqual(bodies.map(() => 200));
      // One reply per tap, however it was delivered.
      await expectOneReplyEach(before, taps.length);
      const recorded = await h.api.owner(
        'SELECT webhook_event_id AS id, count(*)::int AS n FROM line_webhook_events WHERE webhook_event_id = ANY($1) GROUP BY 1',
        [taps.map((t) => t.webhookEventId)],
      );
      expect(recorded.rows).toHaveLength(taps.length);
      expect(recorded.rows.every((r: { n: number }) => r.n === 1)).toBe(true);
    });

    it('an event LINE sends again beside a new one, in a request of its own: the new one is answered, the repeat dropped', async () => {
      const first = h.line.webhooks.postback(user, `answer:${broadcastId}`);
      const before = h.line.sentTo(user).length;
      await send([first]);
      await expectOneReplyEach(before, 1);
      const second = h.line.webhooks.postback(user, `answer:${broadcastId}`);
      expect((await send([h.line.webhooks.redelivery(first), second])).status).toBe(200);
      await expectOneReplyEach(before, 2);
    });

    it("claims: a job's retry finds its own events, another job's claim of the same event finds it taken", async () => {
      const claims = h.worker!.get(LineEventClaims);
      // Events as LINE sends them, as the worker reads them.
      type Events = Parameters<LineEventClaims['claim']>[1];
      const [a, b, c] = Array.from({ length: 3 }, () => h.line.webhooks.postback(user, `answer:${broadcastId}`) as unknown as Events[number]);
      const ids = (events: Events) => events.map((e) => e.webhookEventId);
      const [one, other] = [randomUUID(), randomUUID()];
      expect(ids(await claims.claim('platform', [a!, b!], one))).toEqual(ids([a!, b!]));
      expect(ids(await claims.claim('platform', [a!, b!], one))).toEqual(ids([a!, b!]));
      expect(ids(await claims.claim('platform', [b!, c!], other))).toEqual(ids([c!]));
      // The same ids on another channel are another channel's events.
      expect(ids(await claims.claim('1600000001', [a!], other))).toEqual(ids([a!]));
    });

    it("a request's taps are handled together; one whose reply fails goes on alone and is answered once, the others once", async () => {
      const taps = Array.from({ length: 10 }, () => h.line.webhooks.postback(user, `answer:${broadcastId}`));
      const before = h.line.sentTo(user).length;
      h.line.faults.add({ status: 500, times: 2 });
      expect((await send(taps)).status).toBe(200);
      // A reply token works once: a tap handled twice would show as an extra push.
      await expectOneReplyEach(before, taps.length);
    });

    it('a reply LINE took but whose answer was lost is not pushed again when its retry finds the token used', async () => {
      const tap = h.line.webhooks.postback(user, `answer:${broadcastId}`);
      const before = h.line.sentTo(user).length;
      const replyStatuses = (from: number) =>
        h.line.requests
          .slice(from)
          .filter((r) => r.path === '/v2/bot/message/reply')
          .map((r) => r.status);
      const requestsBefore = h.line.requests.length;
      // Delivered, then a 500 instead of the 200 (a response lost on the way back).
      h.line.faults.add({ status: 500, times: 1, when: 'after' });
      expect((await send([tap])).status).toBe(200);
      // The job's retry replies again and LINE refuses the used token.
      await eventually(async () => replyStatuses(requestsBefore).length >= 2 || null, 'the retried reply');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(replyStatuses(requestsBefore)).toEqual([500, 400]);
      expect(
        h.line
          .sentTo(user)
          .slice(before)
          .map((m) => m.kind),
      ).toEqual(['reply']);
    });

    it("one request's taps from several users on one alert are each answered for their own employee", async () => {
      const [colleague, outsider] = await Promise.all([
        dir.employee({ code: 'L041', name: '中村 五郎', departmentId: sales.id, emails: ['l041@example.jp'] }),
        dir.employee({ code: 'L042', name: '中村 六郎', departmentId: sales.id, emails: ['l042@example.jp'] }),
      ]);
      const [second, third, stranger] = [lineUserId(41), lineUserId(42), lineUserId(43)];
      await linkLine(h.api, colleague.id, second);
      await linkLine(h.api, outsider.id, third);
      const alert = await launchOnLine([e.id, colleague.id]);
      const before = new Map([user, second, third, stranger].map((u) => [u, h.line.sentTo(u).length]));
      const taps = [
        h.line.webhooks.postback(user, `safe:${alert}`),
        h.line.webhooks.postback(second, `safe:${alert}`),
        h.line.webhooks.postback(third, `answer:${alert}`),
        h.line.webhooks.postback(stranger, `answer:${alert}`),
        h.line.webhooks.postback(second, `answer:${alert}`),
      ];
      expect((await send(taps)).status).toBe(200);
      await eventually(async () => [...before].every(([u, n]) => h.line.sentTo(u).length > n) || null, 'a reply to every user');
      await eventually(async () => h.line.sentTo(second).length - before.get(second)! >= 2 || null, 'both replies to the second user');
      const answers = await h.api.owner(
        'SELECT r.employee_id, a.choices FROM answers a JOIN recipients r ON r.id = a.recipient_id WHERE a.broadcast_id = $1 ORDER BY r.employee_code',
        [alert],
      );
      expect(answers.rows).toEqual([
        { employee_id: e.id, choices: expect.objectContaining({ self: 'safe' }) },
        { employee_id: colleague.id, choices: { self: 'safe' } },
      ]);
      expect(h.line.textsTo(user).slice(-1)[0]).toMatch(/「本人: 無事」を記録しました/);
      expect(h.line.textsTo(second).join('\n')).toMatch(/「本人: 無事」を記録しました/);
      expect(h.line.textsTo(third).slice(-1)[0]).toMatch(/回答者として登録されていません/);
      // Not linked: the 連携する button, not anyone's answer link.
      expect(h.line.textsTo(stranger).join('\n')).not.toMatch(/https:\/\/anpi\.test\/a\//);
      for (const u of [user, third, stranger])
        expect(
          h.line
            .sentTo(u)
            .slice(before.get(u))
            .map((m) => m.kind),
        ).toEqual(['reply']);
    });

    it('no 無事です button (and no answer from a forged postback) when the template turns it off', async () => {
      const launched = await h.api
        .http()
        .post('/v1/broadcasts')
        .set(admin)
        .send({ templateId: 'preset:earthquake', channels: ['line'], targets: { employeeIds: [e.id] }, lineQuickAnswer: false })
        .expect(202);
      expect(launched.body.lineQuickAnswer).toBe(false);
      await waitForBroadcast(h.api, owner.admin.accessToken, launched.body.id);
      const alert = h.line.multicasts.at(-1)!;
      expect(alert.messages[0]).not.toHaveProperty('quickReply');
      const n = h.line.textsTo(user).length;
      await send([h.line.webhooks.postback(user, `safe:${launched.body.id}`)]);
      await textsAfter(user, n);
      expect((await h.api.owner('SELECT count(*)::int AS n FROM answers WHERE broadcast_id = $1', [launched.body.id])).rows[0].n).toBe(0);
    });
  });

  describe('tenant isolation', () => {
    it("a webhook for one tenant's own channel never touches another tenant, even for the same LINE user", async () => {
      const other = await new Factory(h.api).tenantWithAdmin();
      const otherAdmin = bearer(other.admin.accessToken);
      await h.api
        .http()
        .put('/v1/settings/channels')
        .set(otherAdmin)
        .send({
          line: { channelId: '1677777777', channelSecret: 'tenant-b-channel-secret', accessToken: 'tenant-b-access-token-0123456789', basicId: '@tenant-b' },
        })
        .expect(200);
      const own = h.line.addChannel({
        accessToken: 'tenant-b-access-token-0123456789',
        secret: 'tenant-b-channel-secret',
        webhookUrl: `${base}/line/webhook/1677777777`,
      });
      // The same person (same LINE user id on both channels here) works for both tenants.
      const user = lineUserId(50);
      const inA = await dir.employee({ code: 'L050', name: 'A社 社員', emails: ['l050@example.jp'] });
      const inB = await new DirectoryFactory(h.api, other).employee({ code: 'B050', name: 'B社 社員', emails: ['b050@example.jp'] });
      await linkLine(h.api, inA.id, user, 'linked', 'platform');
      await linkLine(h.api, inB.id, user, 'linked', '1677777777');

      await send([h.line.webhooks.text(user, 'B社のチャネルから')], own);
      const inboxB = await eventually(async () => {
        const res = await h.api.http().get('/v1/inbox').set(otherAdmin).expect(200);
        return res.body.total === 1 && res.body;
      }, "B's inbox");
      expect(inboxB.items[0]).toMatchObject({ text: 'B社のチャネルから', employee: { id: inB.id } });
      // Separate requests are separate jobs, handled in any order (as LINE promises no order
      // across requests): the unfollow goes once the message is in.
      await send([h.line.webhooks.unfollow(user)], own);
      await eventually(async () => (await employeeRow(inB.id)).line_status === 'unreachable', 'B unreachable');
      expect(await employeeRow(inA.id)).toMatchObject({ line_status: 'linked' });
      // B's replies go out with B's own token.
      const replyToB = await eventually(async () => h.line.sentTo(user)[0], "the reply on B's channel");
      expect(replyToB.accessToken).toBe('tenant-b-access-token-0123456789');
      await send([h.line.webhooks.text(user, 'A社のチャネルから')]);
      const inboxA = await eventually(async () => {
        const res = await h.api.http().get('/v1/inbox').set(admin).expect(200);
        return res.body.items.some((i: { text: string }) => i.text === 'A社のチャネルから') && res;
      }, "A's inbox");
      expect(inboxA.body.items.map((i: { text: string }) => i.text)).not.toContain('B社のチャネルから');
      expect((await h.api.http().get('/v1/inbox').set(otherAdmin).expect(200)).body.items.map((i: { text: string }) => i.text)).toEqual(['B社のチャネルから']);
      // A's ids are unknown to B.
      await h.api.http().post(`/v1/inbox/${inboxA.body.items[0].id}/reply`).set(otherAdmin).send({ text: 'x' }).expect(404);
      await h.api.http().delete(`/v1/employees/${inA.id}/line-link`).set(otherAdmin).expect(404);
      // A body signed with the platform secret is not B's.
      expect((await send([h.line.webhooks.text(user, 'forged')], { ...own, secret: PLATFORM_LINE_SECRET })).status).toBe(401);
    });
  });
});
