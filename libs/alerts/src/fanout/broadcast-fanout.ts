import { Injectable, Logger } from '@nestjs/common';
import { ChannelSettingsService } from '#anpi/channels';
import { TenantDb, asTenantId, type Broadcast, type TenantId } from '#anpi/db';
import { RequestContext } from '#anpi/observability';
import { JobHandler, JobName } from '#anpi/queue';
import { TallyNotifier } from '#anpi/tallies';
import type { LaunchJobData } from '../broadcast-launcher.js';
import { DeliveryRecorder } from './delivery-recorder.js';
import { FollowUps } from './follow-ups.js';
import { snapshotRecipients } from './recipient-snapshot.js';
import { SendQueue } from './send-queue.js';

/**
 * The first stage of an alert: snapshot the recipients and their deliveries (once, in one
 * transaction), then queue one send job per channel batch under a deterministic id, so running
 * it again after a crash queues nothing twice.
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
    const broadcast = await this.snapshot(tenantId, data.broadcastId);
    if (!broadcast) return { recipients: 0, jobs: 0 };
    const jobs = await this.sends.enqueueRound(tenantId, broadcast.id, 0);
    await this.db.run(tenantId, (tx) => this.recorder.completeIfDone(tx, tenantId, broadcast.id));
    await this.tallies.changed(tenantId, broadcast.id);
    await this.followUps.schedule(broadcast);
    this.logger.log({ msg: 'broadcast launched', recipients: broadcast.recipientCount, jobs });
    return { recipients: broadcast.recipientCount ?? 0, jobs };
  }

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
        return tx.broadcast.update({ where: { id: broadcastId }, data: { status: 'sending', recipientCount: recipients, launchedAt: new Date() } });
      },
      { timeout: 5 * 60_000 },
    );
  }
}
