import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { LocationChecks } from '#anpi/auto-launch';
import { JmaFeedPoller } from '#anpi/jma';
import { QueueName } from '#anpi/queue';
import { bearer, DirectoryFactory, Factory, linkLine, lineUserId, type TenantWithAdmin } from './support/factories.js';
import { Metrics } from '#anpi/metrics';
import { startDeliveryHarness, startInProcessWorker, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';
import { derive, JmaFeedStandIn, quake, sample, tsunami } from '#anpi/stand-ins';

/** Retries `check` until it stops throwing (an expectation met), or rethrows its last error after `timeoutMs`. */
async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
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

interface AutoLaunchBody {
  id: string;
  eventKey: string;
  state: string;
  pending: boolean;
  holdSecondsLeft: number;
  reason: string | null;
  title: string;
  broadcastId: string | null;
  prefectures: number[];
}

describe('automatic launch on JMA telegrams', () => {
  let h: DeliveryHarness;
  let make: Factory;
  let feed: JmaFeedStandIn;
  let worker: INestApplication;

  beforeAll(async () => {
    feed = await JmaFeedStandIn.start();
    h = await startDeliveryHarness({ JMA_FEED_BASE_URL: feed.url });
    worker = h.worker!;
    make = new Factory(h.api);
  });
  afterAll(async () => {
    await h.close();
    await feed.close();
  });

  const submit = (xml: string) => h.api.http().post('/v1/platform/telegrams').set(make.platform()).set('Content-Type', 'application/xml').send(xml);
  const launches = async (owner: TenantWithAdmin, query = ''): Promise<AutoLaunchBody[]> =>
    (await h.api.http().get(`/v1/auto-launches${query}`).set(bearer(owner.admin.accessToken)).expect(200)).body.items;
  const rule = (owner: TenantWithAdmin, body: Record<string, unknown>) =>
    h.api
      .http()
      .post('/v1/auto-launch-rules')
      .set(bearer(owner.admin.accessToken))
      .send({ name: '地震', templateId: 'preset:earthquake', ...body });
  const recipients = async (broadcastId: string): Promise<string[]> =>
    (await h.api.owner('SELECT employee_code FROM recipients WHERE broadcast_id = $1 ORDER BY employee_code', [broadcastId])).rows.map((r) => r.employee_code);
  /** The launch job writes the recipients after the evaluation: wait for them (the snapshot is one statement). */
  const snapshotIs = (broadcastId: string, codes: string[]) => eventually(async () => expect(await recipients(broadcastId)).toEqual(codes), 15_000);
  const evaluated = (telegramId: string) =>
    eventually(async () => {
      const { rows } = await h.api.owner('SELECT evaluated_at FROM jma_telegrams WHERE id = $1', [telegramId]);
      expect(rows[0]?.evaluated_at).toBeTruthy();
    }, 15_000);

  /** 東北 (宮城県) > 仙台 (no prefecture of its own); employees working and living in various places. */
  async function company(): Promise<TenantWithAdmin & { codes: Record<string, string> }> {
    const owner = await make.tenantWithAdmin();
    const dir = new DirectoryFactory(h.api, owner);
    const tohoku = (
      await h.api
        .http()
        .post('/v1/departments')
        .set(bearer(owner.admin.accessToken))
        .send({ code: 'TOHOKU', name: '東北支社', prefecture: '宮城県' })
        .expect(201)
    ).body;
    const sendai = await dir.department('仙台営業所', tohoku, 'SENDAI');
    const hq = await dir.department('本社', undefined, 'HQ');
    const people = {
      E1: await dir.employee({ code: 'E1', departmentId: sendai.id, emails: ['e1@example.jp'] }),
      E2: await dir.employee({ code: 'E2', departmentId: hq.id, workPrefecture: '東京都', homePrefecture: '宮城県', emails: ['e2@example.jp'] }),
      E3: await dir.employee({ code: 'E3', departmentId: hq.id, workPrefecture: 8, emails: ['e3@example.jp'] }),
      E4: await dir.employee({ code: 'E4', departmentId: hq.id, workPrefecture: '大阪府', emails: ['e4@example.jp'] }),
    };
    await linkLine(h.api, people.E1.id, lineUserId(Number.parseInt(owner.tenant.id.slice(0, 6), 16)));
    return { ...owner, codes: Object.fromEntries(Object.entries(people).map(([k, v]) => [k, v.id])) };
  }

  it('keeps rules per tenant, checked and audited', async () => {
    const a = await company();
    const b = await make.tenantWithAdmin();
    const bad = await rule(a, { kind: 'earthquake', minLevel: 'major_warning', target: 'affected' }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('minLevel must be 4, 5-, 5+, 6-, 6+ or 7');
    await rule(a, { kind: 'earthquake', target: 'departments' }).expect(400);
    await rule(a, { kind: 'earthquake', target: 'affected', prefectures: ['東京府'] }).expect(400);
    await rule(a, { kind: 'earthquake', target: 'affected', templateId: '00000000-0000-4000-8000-000000000000' }).expect(400);
    const created = await rule(a, { kind: 'earthquake', target: 'affected', prefectures: ['宮城県', 13], holdMinutes: 3 }).expect(201);
    expect(created.body).toMatchObject({
      kind: 'earthquake',
      minLevel: '5-',
      prefectures: [4, 13],
      affectedBy: 'work',
      holdMinutes: 3,
      suppressHours: 6,
      enabled: true,
    });
    await h.api.http().get(`/v1/auto-launch-rules/${created.body.id}`).set(bearer(b.admin.accessToken)).expect(404);
    expect((await h.api.http().get('/v1/auto-launch-rules').set(bearer(b.admin.accessToken)).expect(200)).body).toEqual([]);
    const head = await make.user(a, 'department_head');
    await h.api.http().get('/v1/auto-launch-rules').set(bearer(head.accessToken)).expect(403);
    const updated = await h.api.http().patch(`/v1/auto-launch-rules/${created.body.id}`).set(bearer(a.admin.accessToken)).send({ kind: 'tsunami' }).expect(200);
    expect(updated.body).toMatchObject({ kind: 'tsunami', minLevel: 'warning' });
    const audit = await h.api.owner("SELECT action FROM audit_log WHERE tenant_id = $1 AND action LIKE 'auto_launch_rule.%' ORDER BY occurred_at, id", [
      a.tenant.id,
    ]);
    expect(audit.rows.map((r) => r.action)).toEqual(['auto_launch_rule.create', 'auto_launch_rule.update']);
    await h.api.http().delete(`/v1/auto-launch-rules/${created.body.id}`).set(bearer(a.admin.accessToken)).expect(204);
  });

  it('through the real poller: 震度速報 launches to the affected prefectures, VXSE53 adds the new ones once, an unchanged feed fetches nothing', async () => {
    const a = await company();
    const other = await make.tenantWithAdmin(); // no rules: nothing happens there
    await rule(a, { kind: 'earthquake', minLevel: '5-', target: 'affected' }).expect(201);
    const poller = worker.get(JmaFeedPoller);

    const vxse51 = derive(sample('vxse51'));
    const file51 = '20110311144800_0_VXSE51_010000.xml';
    feed.publish('eqvol', 'VXSE51', vxse51, { file: file51 });
    const first = await poller.poll();
    expect(first.caughtUp).toBe(true); // never polled: the long feeds too
    expect(first.fetched).toBe(1);
    const [launch] = await eventually(async () => {
      const rows = await launches(a);
      expect(rows).toHaveLength(1);
      return rows;
    }, 15_000);
    expect(launch).toMatchObject({ eventKey: '20110311144640', state: 'launched', title: '【地震】宮城県北部 最大震度6強', prefectures: [3, 4, 6, 7] });
    const done = await waitForBroadcast(h.api, a.admin.accessToken, launch!.broadcastId!);
    expect(done.source).toMatchObject({ type: 'jma', eventId: '20110311144640' });
    // E1 works in 仙台営業所, which works where 東北支社 is (宮城県); E2 only lives there.
    await snapshotIs(launch!.broadcastId!, ['E1']);

    // Nothing new on the feed: 304, and no telegram downloaded again.
    const before = feed.requests.length;
    const second = await poller.poll();
    expect(second).toMatchObject({ caughtUp: false, fetched: 0, feeds: { eqvol: 'unchanged', extra: 'unchanged' } });
    expect(feed.requests.slice(before).every((r) => r.status === 304 && r.ifNoneMatch)).toBe(true);
    expect(feed.fetched(file51)).toBe(1);
    const polls = await worker.get(Metrics).registry.getSingleMetricAsString('anpi_jma_feed_polls_total');
    expect(polls).toContain('anpi_jma_feed_polls_total{feed="eqvol",result="unchanged"} 1');
    expect(polls).toContain('anpi_jma_feed_polls_total{feed="eqvol",result="changed"} 1');

    // VXSE53 a few minutes later: 茨城県 6強 too. E3 joins the same broadcast; E1 gets nothing new.
    const emailsBefore = h.smtp.received.length;
    const multicastsBefore = h.line.multicasts.length;
    feed.publish('eqvol', 'VXSE53', quake({ '4': '6+', '8': '6+', '27': '1' }, { eventId: '20110311144640', title: 'VXSE53', serial: 2 }));
    expect((await poller.poll()).fetched).toBe(1);
    await eventually(async () => expect(await recipients(launch!.broadcastId!)).toEqual(['E1', 'E3']), 15_000);
    await waitForBroadcast(h.api, a.admin.accessToken, launch!.broadcastId!);
    await eventually(async () => expect(h.smtp.received.length - emailsBefore).toBe(1));
    expect(
      h.smtp.received
        .slice(emailsBefore)
        .map((m) => m.to)
        .flat(),
    ).toEqual(['e3@example.jp']);
    expect(h.line.multicasts.length).toBe(multicastsBefore);
    expect(await launches(a)).toHaveLength(1);
    expect((await launches(a))[0]!.prefectures).toEqual([3, 4, 6, 7, 8]);
    // The tally is refreshed by the worker within a second of a change.
    await eventually(async () => {
      const tally = await h.api.http().get(`/v1/broadcasts/${launch!.broadcastId}/tally`).set(bearer(a.admin.accessToken)).expect(200);
      expect(tally.body.total).toMatchObject({ targeted: 2, delivered: 2 });
    });

    // Everything automatic is audited as jma, with the telegram.
    const audit = await h.api.owner(
      "SELECT actor_type, action, details FROM audit_log WHERE tenant_id = $1 AND action LIKE 'auto_launch.%' ORDER BY occurred_at, id",
      [a.tenant.id],
    );
    expect(audit.rows.map((r) => [r.actor_type, r.action])).toEqual([
      ['jma', 'auto_launch.launch'],
      ['jma', 'auto_launch.widen'],
    ]);
    expect(audit.rows[0].details.telegramId).toBeTruthy();
    expect(await launches(other)).toEqual([]);

    // The operator sees each telegram with what it caused; tenants cannot.
    const list = await h.api.http().get('/v1/platform/telegrams').set(make.platform()).expect(200);
    expect(list.body.items[0]).toMatchObject({ kind: 'VXSE53', outcome: 'accepted', effects: expect.objectContaining({ added: 1 }) });
    expect(list.body.items[1]).toMatchObject({ kind: 'VXSE51', outcome: 'accepted', effects: expect.objectContaining({ launched: 1 }) });
    await h.api.http().get('/v1/platform/telegrams').set(bearer(a.admin.accessToken)).expect(401);
  });

  it('stores an unreadable telegram as rejected with the reason, and goes on with the next', async () => {
    const poller = worker.get(JmaFeedPoller);
    feed.publish('extra', 'VPWW54', '<Report><Control><Title>気象特別警報・警報・注意報');
    feed.publish('eqvol', 'VXSE53', derive(sample('vxse53'), { status: '試験', eventId: 'TEST-1' }));
    const result = await poller.poll();
    expect(result.fetched).toBe(2);
    const { rows } = await h.api.owner("SELECT kind, outcome, reason FROM jma_telegrams WHERE outcome <> 'accepted' ORDER BY received_at");
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ outcome: 'rejected', reason: expect.stringContaining('not well-formed XML') }),
        expect.objectContaining({ kind: 'VXSE53', outcome: 'ignored', reason: expect.stringContaining('試験') }),
      ]),
    );
  });

  it('catches up from the long feeds after downtime', async () => {
    const poller = worker.get(JmaFeedPoller);
    await h.api.owner("UPDATE jma_feed_state SET polled_at = now() - interval '1 hour'");
    feed.expire('eqvol');
    const missed = feed.publish('eqvol', 'VXSE51', derive(quake({ '47': '3' }, { eventId: 'CATCHUP-1' })), { longOnly: true });
    const result = await poller.poll();
    expect(result.caughtUp).toBe(true);
    expect(result.feeds.eqvol_l).toBe('changed');
    const stored = await h.api.owner('SELECT outcome FROM jma_telegrams WHERE entry_id = $1', [missed]);
    expect(stored.rows).toEqual([{ outcome: 'accepted' }]);
  });

  it('取消 during the hold sends nothing; 取消 after sending tells everyone reached and closes', async () => {
    const a = await company();
    await rule(a, { kind: 'earthquake', minLevel: '4', target: 'everyone', holdMinutes: 2 }).expect(201);
    const held = await submit(quake({ '4': '5+' }, { eventId: 'HOLD-1' }));
    if (held.status !== 201) throw new Error(JSON.stringify(held.body));
    await evaluated(held.body.id);
    const [pending] = await launches(a, '?state=pending');
    expect(pending).toMatchObject({ state: 'launched', pending: true });
    expect(pending!.holdSecondsLeft).toBeGreaterThan(60);
    const broadcast = await h.api.http().get(`/v1/broadcasts/${pending!.broadcastId}`).set(bearer(a.admin.accessToken)).expect(200);
    expect(broadcast.body.status).toBe('queued');
    const cancel = await submit(quake({}, { eventId: 'HOLD-1', infoType: '取消' })).expect(201);
    await evaluated(cancel.body.id);
    expect((await launches(a))[0]).toMatchObject({ state: 'cancelled', pending: false, reason: expect.stringContaining('during the hold') });
    expect((await h.api.http().get(`/v1/broadcasts/${pending!.broadcastId}`).set(bearer(a.admin.accessToken))).body.status).toBe('cancelled');
    expect(await recipients(pending!.broadcastId!)).toEqual([]);

    // No hold: sent, then cancelled by JMA.
    const b = await company();
    await rule(b, { kind: 'earthquake', minLevel: '4', target: 'everyone' }).expect(201);
    const sent = await submit(quake({ '13': '5-' }, { eventId: 'SENT-1' })).expect(201);
    await evaluated(sent.body.id);
    const [launched] = await launches(b);
    await waitForBroadcast(h.api, b.admin.accessToken, launched!.broadcastId!);
    const before = h.smtp.received.length;
    const cancelled = await submit(quake({}, { eventId: 'SENT-1', infoType: '取消' })).expect(201);
    await evaluated(cancelled.body.id);
    const closed = await waitForBroadcast(h.api, b.admin.accessToken, launched!.broadcastId!, (x) => x.status === 'closed' && x.counts.email!.pending === 0);
    expect(closed.closedReason).toContain('JMA cancelled');
    const notices = await h.api.owner(
      `SELECT d.channel, r.employee_code FROM deliveries d JOIN recipients r ON r.id = d.recipient_id
       WHERE d.broadcast_id = $1 AND d.round = 400 AND d.state = 'sent' ORDER BY d.channel, r.employee_code`,
      [launched!.broadcastId],
    );
    expect(notices.rows.map((r) => `${r.channel}:${r.employee_code}`).sort()).toEqual(['email:E1', 'email:E2', 'email:E3', 'email:E4', 'line:E1']);
    const mail = h.smtp.received.slice(before).find((m) => m.to.includes('e4@example.jp') && m.subject.startsWith('【取消】'))!;
    expect(mail.text).toContain('回答は不要です');
    // And the admins were told, once per launch and once per cancellation.
    const adminMail = h.smtp.received.filter((m) => m.to.includes(b.admin.email) && m.subject.includes('自動送信'));
    expect(adminMail.map((m) => m.subject)).toEqual([expect.stringContaining('自動送信: '), expect.stringContaining('自動送信の取消')]);
  });

  it('an admin cancels a pending launch; another tenant can neither see nor cancel it', async () => {
    const a = await company();
    const b = await make.tenantWithAdmin();
    await rule(a, { kind: 'earthquake', minLevel: '4', target: 'everyone', holdMinutes: 5 }).expect(201);
    const t = await submit(quake({ '40': '5-' }, { eventId: 'ADMIN-CANCEL-1' })).expect(201);
    await evaluated(t.body.id);
    const [pending] = (await launches(a, '?state=pending')).filter((l) => l.eventKey === 'ADMIN-CANCEL-1');
    expect(pending).toMatchObject({ pending: true });
    await h.api.http().post(`/v1/auto-launches/${pending!.id}/cancel`).set(bearer(b.admin.accessToken)).expect(404);
    expect(await launches(b)).toEqual([]);
    const head = await make.user(a, 'department_head');
    await h.api.http().post(`/v1/auto-launches/${pending!.id}/cancel`).set(bearer(head.accessToken)).expect(403);
    const cancelled = await h.api.http().post(`/v1/auto-launches/${pending!.id}/cancel`).set(bearer(a.admin.accessToken)).expect(200);
    expect(cancelled.body).toMatchObject({ state: 'cancelled', pending: false, reason: 'cancelled by an admin during the hold' });
    expect((await h.api.http().get(`/v1/broadcasts/${pending!.broadcastId}`).set(bearer(a.admin.accessToken))).body.status).toBe('cancelled');
    const audit = await h.api.owner("SELECT actor_type FROM audit_log WHERE tenant_id = $1 AND action = 'auto_launch.cancel'", [a.tenant.id]);
    expect(audit.rows).toEqual([{ actor_type: 'user' }]);
    // The hold ended (as if): too late to cancel here.
    const t2 = await submit(quake({ '41': '5-' }, { eventId: 'ADMIN-CANCEL-2' })).expect(201);
    await evaluated(t2.body.id);
    const second = (await launches(a)).find((l) => l.eventKey === 'ADMIN-CANCEL-2')!;
    await h.api.owner("UPDATE broadcasts SET status = 'sending' WHERE id = $1", [second.broadcastId]);
    const late = await h.api.http().post(`/v1/auto-launches/${second.id}/cancel`).set(bearer(a.admin.accessToken)).expect(409);
    expect(late.body).toMatchObject({ code: 'already_sent' });
  });

  it('aftershocks: weaker is suppressed with the reason, stronger is sent, a new prefecture reaches only the new people', async () => {
    const a = await company();
    await rule(a, { kind: 'earthquake', minLevel: '4', target: 'affected', affectedBy: 'work' }).expect(201);
    const main = await submit(quake({ '4': '6-' }, { eventId: 'MAIN-1' })).expect(201);
    await evaluated(main.body.id);
    const weaker = await submit(quake({ '4': '5+' }, { eventId: 'AFTER-1' })).expect(201);
    await evaluated(weaker.body.id);
    const suppressed = (await launches(a)).find((l) => l.eventKey === 'AFTER-1');
    expect(suppressed).toMatchObject({ state: 'suppressed', broadcastId: null, reason: expect.stringContaining('not stronger') });
    const stronger = await submit(quake({ '4': '6+' }, { eventId: 'AFTER-2' })).expect(201);
    await evaluated(stronger.body.id);
    const second = (await launches(a)).find((l) => l.eventKey === 'AFTER-2')!;
    expect(second.state).toBe('launched');
    await snapshotIs(second.broadcastId!, ['E1']);
    const wider = await submit(quake({ '4': '4', '8': '5-' }, { eventId: 'AFTER-3' })).expect(201);
    await evaluated(wider.body.id);
    const third = (await launches(a)).find((l) => l.eventKey === 'AFTER-3')!;
    expect(third).toMatchObject({ state: 'launched', prefectures: [8] });
    await snapshotIs(third.broadcastId!, ['E3']);
  });

  it('targets by home prefecture, and maps a tsunami area to its prefectures (東京湾内湾 is three)', async () => {
    const a = await company();
    await rule(a, { kind: 'earthquake', minLevel: '5-', target: 'affected', affectedBy: 'home' }).expect(201);
    await rule(a, { kind: 'tsunami', minLevel: 'warning', target: 'affected', affectedBy: 'work' }).expect(201);
    const q = await submit(quake({ '4': '5-' }, { eventId: 'HOME-1' })).expect(201);
    await evaluated(q.body.id);
    const home = (await launches(a)).find((l) => l.eventKey === 'HOME-1')!;
    await snapshotIs(home.broadcastId!, ['E2']);
    const t = await submit(
      tsunami(
        [
          { code: '312', name: '東京湾内湾', kind: 'warning' },
          { code: '530', name: '和歌山県', kind: 'advisory' },
        ],
        { eventId: 'TSUNAMI-1' },
      ),
    ).expect(201);
    await evaluated(t.body.id);
    const tsu = (await launches(a)).find((l) => l.eventKey === 'TSUNAMI-1')!;
    expect(tsu).toMatchObject({ state: 'launched', title: '【津波】津波警報 東京湾内湾', prefectures: [12, 13, 14] });
    await snapshotIs(tsu.broadcastId!, ['E2']);
  });

  it('訓練 telegrams launch drills only where asked; the same quake from two workers and two routes makes one broadcast', async () => {
    const a = await company();
    const b = await company();
    await rule(a, { kind: 'earthquake', minLevel: '4', target: 'everyone', includeDrillTelegrams: true }).expect(201);
    await rule(b, { kind: 'earthquake', minLevel: '4', target: 'everyone' }).expect(201);
    const drill = await submit(derive(sample('drill'))).expect(201);
    await evaluated(drill.body.id);
    const [aDrill] = await launches(a);
    expect(aDrill).toMatchObject({ eventKey: 'drill:20091001134500', state: 'launched' });
    expect((await h.api.http().get(`/v1/broadcasts/${aDrill!.broadcastId}`).set(bearer(a.admin.accessToken))).body).toMatchObject({
      drill: true,
      displayTitle: expect.stringMatching(/^【訓練】【地震】駿河湾/),
    });
    expect(await launches(b)).toEqual([]);

    // Two worker processes; the same telegram by hand and (as another entry) from the feed, at once.
    const second = await startInProcessWorker(h.api.config);
    try {
      const xml = quake({ '22': '6-' }, { eventId: 'RACE-1' });
      const [one, two] = await Promise.all([
        submit(xml).expect(201),
        submit(xml.replace('<Serial>1</Serial>', '<Serial>1</Serial><!-- feed copy -->')).expect(201),
      ]);
      await evaluated(one.body.id);
      await evaluated(two.body.id);
      for (const owner of [a, b]) {
        const rows = (await launches(owner)).filter((l) => l.eventKey === 'RACE-1');
        expect(rows).toHaveLength(1);
        const count = await h.api.owner("SELECT count(*)::int AS n FROM broadcasts WHERE tenant_id = $1 AND source->>'eventId' = 'RACE-1'", [owner.tenant.id]);
        expect(count.rows[0].n).toBe(1);
      }
      // Two workers' polls at once: one polls, the other stands aside.
      feed.latencyMs = 200;
      const polls = await Promise.all([worker.get(JmaFeedPoller).poll(), second.get(JmaFeedPoller).poll()]);
      expect(polls.map((p) => p.skipped ?? 'polled').sort()).toEqual(['another poller is running', 'polled']);
    } finally {
      feed.latencyMs = 0;
      await second.close();
    }
  });

  it('location check: those the alert missed are asked; yes joins the tally, no stays out of it', async () => {
    const a = await company();
    await rule(a, { kind: 'earthquake', target: 'everyone', locationCheckMinutes: 30 }).expect(400);
    await rule(a, { kind: 'earthquake', minLevel: '5-', target: 'affected', locationCheckMinutes: 30 }).expect(201);
    const t = await submit(quake({ '4': '6-' }, { eventId: 'LOC-1' })).expect(201);
    await evaluated(t.body.id);
    const launch = (await launches(a)).find((l) => l.eventKey === 'LOC-1')!;
    await waitForBroadcast(h.api, a.admin.accessToken, launch.broadcastId!);
    const job = await worker.get<Queue>(getQueueToken(QueueName.Broadcasts)).getJob(`location-check.${launch.id}`);
    expect(job?.opts.delay).toBeGreaterThan(29 * 60_000);
    const tallyOf = async () => (await h.api.http().get(`/v1/broadcasts/${launch.broadcastId}/tally`).set(bearer(a.admin.accessToken)).expect(200)).body.total;

    const before = h.smtp.received.length;
    expect(await worker.get(LocationChecks).run({ tenantId: a.tenant.id, autoLaunchId: launch.id })).toEqual({ asked: 3 });
    expect(await worker.get(LocationChecks).run({ tenantId: a.tenant.id, autoLaunchId: launch.id })).toEqual({ asked: 0 });
    await snapshotIs(launch.broadcastId!, ['E1', 'E2', 'E3', 'E4']);
    await waitForBroadcast(h.api, a.admin.accessToken, launch.broadcastId!);
    const asked = h.smtp.received.slice(before).filter((m) => m.subject.startsWith('【所在確認】'));
    expect(asked.flatMap((m) => m.to).sort()).toEqual(['e2@example.jp', 'e3@example.jp', 'e4@example.jp']);
    expect(asked[0]!.text).toContain('宮城県で災害がありました。今、この地域にいますか？');
    expect(await tallyOf()).toMatchObject({ targeted: 1 });

    const linkOf = (address: string) => /\/a\/([A-Za-z0-9._~-]+)/.exec(asked.find((m) => m.to.includes(address))!.text)![1]!;
    const e2 = linkOf('e2@example.jp');
    const page = await h.api.http().get(`/a/${e2}`).expect(200);
    expect(page.text).toContain('今、対象地域にいますか？');
    expect(page.text).not.toContain('name="q.self"');
    await h.api.http().post(`/a/${e2}/location`).type('form').send({ here: 'maybe' }).expect(400);
    const yes = await h.api.http().post(`/a/${e2}/location`).type('form').send({ here: 'yes', lang: 'ja' }).expect(303);
    expect(yes.headers.location).toBe(`/a/${e2}?lang=ja`);
    expect((await h.api.http().get(`/a/${e2}`).expect(200)).text).toContain('name="q.self"');
    const e3 = linkOf('e3@example.jp');
    const no = await h.api.http().post(`/a/${e3}/location`).type('form').send({ here: 'no' }).expect(200);
    expect(no.text).toContain('対象地域外と記録しました');
    await eventually(async () => expect(await tallyOf()).toMatchObject({ targeted: 2 }), 10_000);
    // Someone the alert targeted has no location question.
    const { rows } = await h.api.owner("SELECT location_check FROM recipients WHERE broadcast_id = $1 AND employee_code = 'E1'", [launch.broadcastId]);
    expect(rows).toEqual([{ location_check: null }]);
  });

  it('refuses what is not a telegram submission with a clear 4xx', async () => {
    await h.api.http().post('/v1/platform/telegrams').set(make.platform()).set('Content-Type', 'application/json').send({ a: 1 }).expect(415);
    const empty = await h.api.http().post('/v1/platform/telegrams').set(make.platform()).set('Content-Type', 'application/xml').send('').expect(400);
    expect(empty.body.message).toContain('empty');
    const garbage = await submit('not xml at all').expect(201);
    expect(garbage.body).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining('XML') });
    const same = await submit('not xml at all').expect(200);
    expect(same.body.id).toBe(garbage.body.id);
  });
});
