import { jest } from '@jest/globals';
import type { Job } from 'bullmq';
import { DeliveryRecorder } from '../libs/alerts/src/fanout/delivery-recorder.js';
import { LineSender } from '../libs/alerts/src/fanout/line-sender.js';
import { SendQueue } from '../libs/alerts/src/fanout/send-queue.js';
import { AutomaticBroadcasts, LaunchInProgressError } from '#anpi/alerts';
import { asTenantId } from '#anpi/db';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';
import { bearer, DirectoryFactory, Factory, linkLine, lineUserId } from './support/factories.js';

/** For the first seconds after a launch, the other channels wait while LINE batches are pending. */
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
    const launched = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(bearer(owner.admin.accessToken))
      .send({ templateId: 'preset:earthquake', channels: ['line', 'email'], targets: { employeeIds: [e.id] } })
      .expect(202);
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
    const launched = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(bearer(owner.admin.accessToken))
      .send({ templateId: 'preset:earthquake', channels: ['line', 'email'], targets: { employeeIds: [e.id] } })
      .expect(202);
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, launched.body.id);
    expect(done.counts).toMatchObject({ line: { skipped: 1 }, email: { sent: 1 } });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a later telegram widening the alert while LINE goes first adds only new people: nobody already in it is sent it twice', async () => {
    const owner = await new Factory(h.api).tenantWithAdmin();
    const directory = new DirectoryFactory(h.api, owner);
    const onLine = await directory.employee({ emails: ['widen-line@example.jp'] });
    await linkLine(h.api, onLine.id, lineUserId(7003));
    const offLine = await directory.employee({ emails: ['widen-email@example.jp'] }); // no delivery row until LINE is done
    const later = await directory.employee({ emails: ['widen-new@example.jp'] });
    h.line.latencyMs = 1_500; // LINE pending: the other channels wait
    try {
      const launched = await h.api
        .http()
        .post('/v1/broadcasts')
        .set(bearer(owner.admin.accessToken))
        .send({ templateId: 'preset:earthquake', channels: ['line', 'email'], targets: { employeeIds: [onLine.id, offLine.id] } })
        .expect(202);
      const id = launched.body.id as string;
      await waitForBroadcast(h.api, owner.admin.accessToken, id, (b) => b.status === 'sending');
      const widen = () => h.api.app.get(AutomaticBroadcasts).widen(asTenantId(owner.tenant.id), id, { employeeIds: [onLine.id, offLine.id, later.id] }, 1);
      // While the launch is still creating deliveries (LINE goes first), nobody is added: the telegram's job retries.
      await expect(widen()).rejects.toBeInstanceOf(LaunchInProgressError);
      const { rows: before } = await h.api.owner('SELECT count(*)::int AS n FROM recipients WHERE broadcast_id = $1', [id]);
      expect(before[0].n).toBe(2);
      await waitForBroadcast(h.api, owner.admin.accessToken, id, (b) => b.status === 'completed', 30_000);
      expect(await widen()).toBe(1);
      await waitForBroadcast(h.api, owner.admin.accessToken, id, (b) => b.status === 'completed', 30_000);
      const { rows } = await h.api.owner(
        `SELECT r.emails[1] AS address, d.channel::text, d.round, d.state::text FROM deliveries d JOIN recipients r ON r.id = d.recipient_id
         WHERE d.broadcast_id = $1 AND d.state <> 'skipped'`,
        [id],
      );
      // One alert each: the two at launch in round 0, the one added in the addition's round.
      expect(rows.map((r) => `${r.address} ${r.channel} ${r.round === 0 ? 'launch' : 'added'} ${r.state}`).sort()).toEqual([
        'widen-email@example.jp email launch sent',
        'widen-line@example.jp email launch sent',
        'widen-line@example.jp line launch sent',
        'widen-new@example.jp email added sent',
      ]);
    } finally {
      h.line.latencyMs = 0;
    }
  });

  it('a later telegram whose job failed after adding people, before queueing their sends, sends them on its retry', async () => {
    const owner = await new Factory(h.api).tenantWithAdmin();
    const directory = new DirectoryFactory(h.api, owner);
    const first = await directory.employee({ emails: ['retry-first@example.jp'] });
    const later = await directory.employee({ emails: ['retry-later@example.jp'] });
    const launched = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(bearer(owner.admin.accessToken))
      .send({ templateId: 'preset:earthquake', channels: ['line', 'email'], targets: { employeeIds: [first.id] } })
      .expect(202);
    const id = launched.body.id as string;
    await waitForBroadcast(h.api, owner.admin.accessToken, id);
    const sends = h.api.app.get(SendQueue);
    const enqueue = sends.enqueueRound.bind(sends);
    let failed = false;
    const spy = jest.spyOn(sends, 'enqueueRound').mockImplementation(async (...args) => {
      if (!failed) {
        failed = true;
        throw new Error('Redis went away just now');
      }
      return enqueue(...args);
    });
    const widen = () => h.api.app.get(AutomaticBroadcasts).widen(asTenantId(owner.tenant.id), id, { employeeIds: [first.id, later.id] }, 1);
    try {
      await expect(widen()).rejects.toThrow('Redis went away just now');
      expect(await widen()).toBe(0); // added by the first run, committed
    } finally {
      spy.mockRestore();
    }
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, id, (b) => b.status === 'completed' && b.counts.email?.sent === 2);
    expect(done.counts.email).toMatchObject({ sent: 2, pending: 0 });
  });

  it('queues LINE before the other channels’ deliveries exist, and completes only once they all do', async () => {
    const owner = await new Factory(h.api).tenantWithAdmin();
    const e = await new DirectoryFactory(h.api, owner).employee({ emails: ['order@example.jp'] });
    await linkLine(h.api, e.id, lineUserId(7002));
    const sends = h.worker!.get(SendQueue);
    const enqueue = sends.enqueueRound.bind(sends);
    const enqueueBatches = sends.enqueueBatches.bind(sends);
    const seen: { channels: string[]; emailDeliveries: number; ready: boolean }[] = [];
    const note = async (broadcastId: string, channels: readonly string[]) => {
      const { rows } = await h.api.owner(
        `SELECT (SELECT count(*)::int FROM deliveries WHERE broadcast_id = $1 AND channel = 'email') AS email,
          (SELECT deliveries_ready_at IS NOT NULL FROM broadcasts WHERE id = $1) AS ready`,
        [broadcastId],
      );
      seen.push({ channels: [...channels], emailDeliveries: rows[0].email, ready: rows[0].ready });
    };
    const spy = jest.spyOn(sends, 'enqueueRound').mockImplementation(async (tenantId, broadcastId, round, channels) => {
      await note(broadcastId, channels ?? []);
      return enqueue(tenantId, broadcastId, round, channels);
    });
    const batchSpy = jest.spyOn(sends, 'enqueueBatches').mockImplementation(async (tenantId, broadcastId, round, channel, batches) => {
      await note(broadcastId, [channel]);
      return enqueueBatches(tenantId, broadcastId, round, channel, batches);
    });
    try {
      const launched = await h.api
        .http()
        .post('/v1/broadcasts')
        .set(bearer(owner.admin.accessToken))
        .send({ templateId: 'preset:earthquake', channels: ['line', 'email'], targets: { employeeIds: [e.id] } })
        .expect(202);
      const done = await waitForBroadcast(h.api, owner.admin.accessToken, launched.body.id);
      expect(done.counts).toMatchObject({ line: { sent: 1 }, email: { sent: 1 } });
    } finally {
      spy.mockRestore();
      batchSpy.mockRestore();
    }
    // LINE's part is queued first; the launch job may come back while LINE is pending (the head
    // start), and creates and queues email only once LINE is done.
    const last = seen.pop();
    expect(last).toEqual({ channels: ['email'], emailDeliveries: 1, ready: true });
    // Email's part is queued as soon as it exists, before the broadcast has all its deliveries.
    expect(seen).toEqual([
      { channels: ['line'], emailDeliveries: 0, ready: false },
      { channels: ['email'], emailDeliveries: 1, ready: false },
    ]);
  });

  it('queues the other channels on the launch’s retry when a crash came between creating their deliveries and queueing them', async () => {
    const owner = await new Factory(h.api).tenantWithAdmin();
    const e = await new DirectoryFactory(h.api, owner).employee({ emails: ['retry@example.jp'] });
    const sends = h.worker!.get(SendQueue);
    const enqueue = sends.enqueueRound.bind(sends);
    let failed = false;
    const spy = jest.spyOn(sends, 'enqueueRound').mockImplementation(async (tenantId, broadcastId, round, channels) => {
      if (!failed && channels?.includes('email')) {
        failed = true;
        throw new Error('Redis went away just now');
      }
      return enqueue(tenantId, broadcastId, round, channels);
    });
    try {
      const launched = await h.api
        .http()
        .post('/v1/broadcasts')
        .set(bearer(owner.admin.accessToken))
        .send({ templateId: 'preset:earthquake', channels: ['line', 'email'], targets: { employeeIds: [e.id] } })
        .expect(202);
      const done = await waitForBroadcast(h.api, owner.admin.accessToken, launched.body.id);
      expect(failed).toBe(true);
      expect(done.counts).toMatchObject({ line: { skipped: 1 }, email: { sent: 1 } });
    } finally {
      spy.mockRestore();
    }
  });

  it('does not complete a broadcast whose other deliveries are not created yet, however done LINE is', async () => {
    const owner = await new Factory(h.api).tenantWithAdmin();
    const e = await new DirectoryFactory(h.api, owner).employee({ emails: ['ready@example.jp'] });
    const launched = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(bearer(owner.admin.accessToken))
      .send({ templateId: 'preset:earthquake', channels: ['line', 'email'], targets: { employeeIds: [e.id] } })
      .expect(202);
    await waitForBroadcast(h.api, owner.admin.accessToken, launched.body.id);
    // As between the snapshot (recipients, LINE) and the creation of the other channels' deliveries.
    await h.api.owner(`UPDATE broadcasts SET status = 'sending', completed_at = NULL, deliveries_ready_at = NULL WHERE id = $1`, [launched.body.id]);
    const recorder = h.worker!.get(DeliveryRecorder);
    const tenantId = asTenantId(owner.tenant.id);
    await recorder.completeIfDone(tenantId, launched.body.id);
    expect((await h.api.owner('SELECT status::text FROM broadcasts WHERE id = $1', [launched.body.id])).rows[0].status).toBe('sending');
    await h.api.owner('UPDATE broadcasts SET deliveries_ready_at = now() WHERE id = $1', [launched.body.id]);
    await recorder.completeIfDone(tenantId, launched.body.id);
    expect((await h.api.owner('SELECT status::text FROM broadcasts WHERE id = $1', [launched.body.id])).rows[0].status).toBe('completed');
  });

  it('a send job run again after a crash between recording its sends and checking completion completes the broadcast', async () => {
    const owner = await new Factory(h.api).tenantWithAdmin();
    const e = await new DirectoryFactory(h.api, owner).employee({ emails: [] });
    await linkLine(h.api, e.id, lineUserId(7020));
    const launched = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(bearer(owner.admin.accessToken))
      .send({ templateId: 'preset:earthquake', channels: ['line'], targets: { employeeIds: [e.id] } })
      .expect(202);
    await waitForBroadcast(h.api, owner.admin.accessToken, launched.body.id);
    // As if the worker died right after the send was recorded, before its check.
    await h.api.owner(`UPDATE broadcasts SET status = 'sending', completed_at = NULL WHERE id = $1`, [launched.body.id]);
    const sent = h.line.requests.length;
    const rerun = await h.worker!.get(LineSender).send({ tenantId: owner.tenant.id, broadcastId: launched.body.id, round: 0, batch: 0 }, {} as Job);
    expect(rerun).toEqual({ sent: 0 });
    expect(h.line.requests.length).toBe(sent);
    expect((await h.api.owner('SELECT status::text FROM broadcasts WHERE id = $1', [launched.body.id])).rows[0].status).toBe('completed');
  });

  it('checks completion only after the deliveries it judges are committed, so the last job to record always completes the broadcast', async () => {
    const owner = await new Factory(h.api).tenantWithAdmin();
    const people = await Promise.all([1, 2].map((n) => new DirectoryFactory(h.api, owner).employee({ code: `C${n}`, emails: [] })));
    for (const [n, e] of people.entries()) await linkLine(h.api, e.id, lineUserId(7010 + n));
    const recorder = h.worker!.get(DeliveryRecorder);
    const check = recorder.completeIfDone.bind(recorder);
    // What a connection of its own sees at each check: a check inside a job's transaction would
    // see that job's own deliveries still pending from outside.
    const seen: { pending: number; ready: boolean }[] = [];
    const spy = jest.spyOn(recorder, 'completeIfDone').mockImplementation(async (tenantId, broadcastId) => {
      const { rows } = await h.api.owner(
        `SELECT (SELECT count(*)::int FROM deliveries WHERE broadcast_id = $1 AND state = 'pending') AS pending,
                (SELECT deliveries_ready_at IS NOT NULL FROM broadcasts WHERE id = $1) AS ready`,
        [broadcastId],
      );
      seen.push(rows[0] as { pending: number; ready: boolean });
      return check(tenantId, broadcastId);
    });
    try {
      const launched = await h.api
        .http()
        .post('/v1/broadcasts')
        .set(bearer(owner.admin.accessToken))
        .send({ templateId: 'preset:earthquake', channels: ['line'], targets: { employeeIds: people.map((e) => e.id) } })
        .expect(202);
      const done = await waitForBroadcast(h.api, owner.admin.accessToken, launched.body.id);
      expect(done.counts).toMatchObject({ line: { sent: 2 } });
      // Every job checks after its own commit, so the last check began after every commit and saw them all.
      expect(seen.at(-1)).toEqual({ pending: 0, ready: true });
    } finally {
      spy.mockRestore();
    }
  });
});
