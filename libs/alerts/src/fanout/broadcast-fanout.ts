import { Injectable, Logger } from '@nestjs/common';
import { ChannelSettingsService } from '#anpi/channels';
import { TenantDb, asTenantId, type Broadcast, type TenantId } from '#anpi/db';
import { RequestContext } from '#anpi/observability';
import { JobHandler, JobName } from '#anpi/queue';
import { TallyNotifier } from '#anpi/tallies';
import type { LaunchJobData } from '../broadcast-launcher.js';
import { DeliveryRecorder } from './delivery-recorder.js';
import { FollowUps } from './follow-ups.js';
import { createRemainingDeliveries, firstChannels, snapshotRecipients } from './recipient-snapshot.js';
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
  ) {}

  @JobHandler(JobName.LaunchBroadcast)
  async launch(data: LaunchJobData): Promise<{ recipients: number; jobs: number }> {
    const tenantId = asTenantId(data.tenantId);
    RequestContext.assign({ tenantId, broadcastId: data.broadcastId });
    let broadcast = await this.snapshot(tenantId, data.broadcastId);
    if (!broadcast) return { recipients: 0, jobs: 0 };
    const first = firstChannels(broadcast);
    let jobs = await this.sends.enqueueRound(tenantId, broadcast.id, 0, first);
    if (!broadcast.deliveriesReadyAt) {
      broadcast = await this.createRemaining(tenantId, broadcast);
      jobs += await this.sends.enqueueRound(tenantId, broadcast.id, 0, broadcast.channels.filter((c) => !first.includes(c)));
    }
    await this.db.sql(tenantId, (sql) => this.recorder.completeIfDone(sql, tenantId, broadcast.id));
    await this.tallies.changed(tenantId, broadcast.id);
    await this.followUps.schedule(broadcast);
    this.logger.log({ msg: 'broadcast launched', recipients: broadcast.recipientCount, jobs });
    return { recipients: broadcast.recipientCount ?? 0, jobs };
  }

  /**
   * Recipients and the first channels' deliveries in one transaction, committed before the other
   * channels' deliveries are created, so LINE is sending while those are written.
   */
  private snapshot(tenantId: TenantId, broadcastId: string): Promise<Broadcast | null> {
    return this.db.run(
      tenantId,
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM broadcasts WHERE id = ${broadcastId}::uuid FOR UPDATE`;
        const broadcast = await tx.broadcast.findFirst({ where: { id: broadcastId, tenantId } });
        if (!broadcast || broadcast.status === 'cancelled') return null;
        if (broadcast.status !== 'queued') return broadcast; // snapshotted by an earlier run
        const { line } = await this.channels.resolve(tx, tenantId);
        const recipients = await snapshotRecipients(tx, tenantId, broadcast, line?.channelKey ?? null);
        const now = new Date();
        const ready = firstChannels(broadcast).length === broadcast.channels.length;
        return tx.broadcast.update({
          where: { id: broadcastId },
          data: { status: 'sending', recipientCount: recipients, launchedAt: now, ...(ready && { deliveriesReadyAt: now }) },
        });
      },
      { timeout: 5 * 60_000 },
    );
  }

  /** Until this has run, the broadcast cannot complete, however fast LINE is done. */
  private createRemaining(tenantId: TenantId, broadcast: Broadcast): Promise<Broadcast> {
    return this.db.run(
      tenantId,
      async (tx) => {
        await createRemainingDeliveries(tx, broadcast);
        return tx.broadcast.update({ where: { id: broadcast.id }, data: { deliveriesReadyAt: new Date() } });
      },
      { timeout: 5 * 60_000 },
    );
  }
}
