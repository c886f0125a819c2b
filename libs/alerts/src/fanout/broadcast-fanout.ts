import { Injectable, Logger } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { AppConfig } from '#anpi/config';
import { ChannelSettingsService } from '#anpi/channels';
import { TenantDb, asTenantId, type Broadcast, type Channel, type TenantId } from '#anpi/db';
import { RequestContext } from '#anpi/observability';
import { JobHandler, JobName } from '#anpi/queue';
import { TallyNotifier } from '#anpi/tallies';
import type { LaunchJobData } from '../broadcast-launcher.js';
import { DeliveryRecorder } from './delivery-recorder.js';
import { FollowUps } from './follow-ups.js';
import { BATCH_SIZE } from './batches.js';
import { EMAIL_PART_SIZE, createDeliveries, createLinePart, lineParts, linePartBatches } from './deliveries.js';
import { channelReach, createRemainingDeliveries, lineFirst, snapshotRecipients } from './recipient-snapshot.js';
import { SendQueue } from './send-queue.js';

/**
 * The first stage of an alert: snapshot the recipients and their deliveries (once), then queue one
 * send job per channel batch under a deterministic id, so running it again after a crash queues
 * nothing twice.
 */
@Injectable()
export class BroadcastFanout {
  private readonly logger = new Logger(BroadcastFanout.name);

  constructor(
    private readonly db: TenantDb,
    private readonly recorder: DeliveryRecorder,
    private readonly sends: SendQueue,
    private readonly tallies: TallyNotifier,
    private readonly followUps: FollowUps,
    private readonly channels: ChannelSettingsService,
    private readonly config: AppConfig,
  ) {}

  @JobHandler(JobName.LaunchBroadcast)
  async launch(data: LaunchJobData, job: Job<LaunchJobData>): Promise<{ recipients: number; jobs: number }> {
    const tenantId = asTenantId(data.tenantId);
    RequestContext.assign({ tenantId, broadcastId: data.broadcastId });
    // Back after waiting for LINE: the snapshot exists and LINE's batches are queued.
    let broadcast = data.lineQueued ? await this.current(tenantId, data.broadcastId) : await this.snapshot(tenantId, data.broadcastId);
    if (!broadcast) return { recipients: 0, jobs: 0 };
    let jobs = 0;
    if (!data.lineQueued) {
      if (lineFirst(broadcast) && !broadcast.deliveriesReadyAt) jobs += await this.queueLineInParts(tenantId, broadcast);
      else await this.refreshStatistics(tenantId, broadcast);
    }
    if (!broadcast.deliveriesReadyAt) {
      if (await this.holdForLine(job, tenantId, broadcast)) throw new DelayedError();
      const inParts = lineFirst(broadcast) && broadcast.channels.includes('email') ? (['email'] as const) : [];
      if (inParts.length) jobs += await this.queueEmailInParts(tenantId, broadcast);
      broadcast = await this.createRemaining(tenantId, broadcast, inParts);
      await this.refreshStatistics(tenantId, broadcast);
    }
    // Also on a run after a crash that came between creating these deliveries and queueing them
    // (ids are deterministic, so nothing is queued twice).
    jobs += await this.sends.enqueueRound(
      tenantId,
      broadcast.id,
      0,
      broadcast.channels.filter((c) => !lineFirst(broadcast!) || c !== 'line'),
    );
    await this.recorder.completeIfDone(tenantId, broadcast.id);
    await this.tallies.changed(tenantId, broadcast.id);
    await this.followUps.schedule(broadcast);
    this.logger.log({ msg: 'broadcast launched', recipients: broadcast.recipientCount, jobs });
    return { recipients: broadcast.recipientCount ?? 0, jobs };
  }

  /**
   * The recipients in one transaction (and, for an alert without LINE or an escalating one, its
   * first deliveries), committed before LINE's deliveries are created a part at a time.
   */
  private snapshot(tenantId: TenantId, broadcastId: string): Promise<Broadcast | null> {
    return this.db.run(
      tenantId,
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM broadcasts WHERE id = ${broadcastId}::uuid FOR UPDATE`;
        const broadcast = await tx.broadcast.findFirst({ where: { id: broadcastId, tenantId } });
        if (!broadcast || broadcast.status === 'cancelled') return null;
        if (broadcast.status !== 'queued') return broadcast; // snapshotted by an earlier run
        const recipients = await snapshotRecipients(tx, tenantId, broadcast, channelReach(await this.channels.resolve(tx, tenantId)));
        const now = new Date();
        return tx.broadcast.update({
          where: { id: broadcastId },
          data: { status: 'sending', recipientCount: recipients, launchedAt: now, ...(!lineFirst(broadcast) && { deliveriesReadyAt: now }) },
        });
      },
      { timeout: 5 * 60_000 },
    );
  }

  /**
   * LINE's deliveries to those it can reach, LINE_PART_SIZE recipients to a transaction, each
   * part's multicasts queued as soon as it is committed: the first go out while the rest are
   * written (on a 100,000-employee alert, writing them all first held every multicast back by
   * seconds). The statistics are refreshed after the first part, before its sends' statements are
   * planned. Running it again (after a crash) adds and queues nothing twice.
   */
  private async queueLineInParts(tenantId: TenantId, broadcast: Broadcast): Promise<number> {
    const parts = await this.db.run(tenantId, (tx) => lineParts(tx, broadcast.id));
    let jobs = 0;
    for (let index = 0; index < parts.starts.length; index++) {
      await this.db.run(tenantId, (tx) => createLinePart(tx, broadcast.id, parts, index), { timeout: 60_000 });
      if (index === 0) await this.refreshStatistics(tenantId, broadcast);
      jobs += await this.sends.enqueueBatches(tenantId, broadcast.id, 0, 'line', linePartBatches(parts, index));
    }
    return jobs;
  }

  /**
   * LINE first: while its batches are pending, for the first seconds after launch
   * (LINE_HEAD_START_MS), the other channels' deliveries are not created yet and the launch job
   * comes back in a moment, without using an attempt. On a large alert, creating and sending them
   * would otherwise take the database's and the worker's CPU from LINE.
   */
  private async holdForLine(job: Job<LaunchJobData>, tenantId: TenantId, broadcast: Broadcast): Promise<boolean> {
    const headStart = this.config.delivery.lineHeadStartMs;
    if (
      !lineFirst(broadcast) ||
      broadcast.channels.length === 1 ||
      !job.token ||
      !broadcast.launchedAt ||
      Date.now() - broadcast.launchedAt.getTime() >= headStart
    )
      return false;
    const [row] = await this.db.sql(tenantId, (sql) =>
      sql<{ pending: boolean }>(`SELECT anpi_deliveries_pending($1::uuid, 0, 'line') AS pending`, [broadcast.id]),
    );
    if (!row?.pending) return false;
    if (!job.data.lineQueued) await job.updateData({ ...job.data, lineQueued: true });
    await job.moveToDelayed(Date.now() + 250, job.token);
    return true;
  }

  /**
   * A large alert adds more rows in seconds than the planner's statistics know of; until they are
   * refreshed, the send path's statements get plans thousands of times slower (see the migration
   * that adds anpi_analyze_fanout). Small alerts change nothing that matters.
   */
  private async refreshStatistics(tenantId: TenantId, broadcast: Broadcast): Promise<void> {
    if ((broadcast.recipientCount ?? 0) < 1_000) return;
    await this.db.sql(tenantId, (sql) => sql('SELECT anpi_analyze_fanout()'));
  }

  private current(tenantId: TenantId, broadcastId: string): Promise<Broadcast | null> {
    return this.db.run(tenantId, (tx) => tx.broadcast.findFirst({ where: { id: broadcastId, tenantId, status: { not: 'cancelled' } } }));
  }

  /**
   * After LINE, email next (one SendGrid request reaches 1,000 people): its deliveries
   * EMAIL_PART_SIZE recipients to a transaction, each part's batches queued as soon as it is
   * committed, before SMS's and the rest are written. Running it again adds and queues nothing twice.
   */
  private async queueEmailInParts(tenantId: TenantId, broadcast: Broadcast): Promise<number> {
    let jobs = 0;
    const size = BATCH_SIZE.email;
    for (let from = 0; from < (broadcast.recipientCount ?? 0); from += EMAIL_PART_SIZE) {
      const to = from + EMAIL_PART_SIZE;
      await this.db.run(
        tenantId,
        (tx) => createDeliveries(tx, { broadcastId: broadcast.id, round: 0, channel: 'email', unansweredOnly: false, seqRange: { from, to } }),
        { timeout: 60_000 },
      );
      const batches = Array.from({ length: Math.ceil(Math.min(to, broadcast.recipientCount!) / size) - from / size }, (_, i) => from / size + i);
      jobs += await this.sends.enqueueBatches(tenantId, broadcast.id, 0, 'email', batches);
    }
    return jobs;
  }

  /** Until this has run, the broadcast cannot complete, however fast LINE is done. */
  private createRemaining(tenantId: TenantId, broadcast: Broadcast, except: readonly Channel[]): Promise<Broadcast> {
    return this.db.run(
      tenantId,
      async (tx) => {
        await createRemainingDeliveries(tx, broadcast, except);
        return tx.broadcast.update({ where: { id: broadcast.id }, data: { deliveriesReadyAt: new Date() } });
      },
      { timeout: 5 * 60_000 },
    );
  }
}
