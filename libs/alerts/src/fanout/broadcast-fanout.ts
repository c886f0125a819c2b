import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '#anpi/config';
import { TenantDb, asTenantId, type Broadcast, type Channel, type TenantId } from '#anpi/db';
import { RequestContext } from '#anpi/observability';
import { JobHandler, JobName, PROVIDER_BACKOFF, QueueName } from '#anpi/queue';
import type { LaunchJobData } from '../broadcast-launcher.js';
import { sendJobId, type SendJobData } from './batches.js';
import { DeliveryRecorder } from './delivery-recorder.js';
import { snapshotRecipients } from './recipient-snapshot.js';

const SEND_JOB: Record<Channel, JobName> = { line: JobName.SendLine, email: JobName.SendEmail, sms: JobName.SendSms };

/**
 * The first stage of an alert: snapshot the recipients and their deliveries (once, in one
 * transaction), then queue one send job per channel batch under a deterministic id, so running
 * it again after a crash queues nothing twice.
 */
@Injectable()
export class BroadcastFanout {
  private readonly logger = new Logger(BroadcastFanout.name);
  private readonly queues: Record<Channel, Queue>;

  constructor(
    private readonly db: TenantDb,
    private readonly recorder: DeliveryRecorder,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.LineDeliveries) line: Queue,
    @InjectQueue(QueueName.EmailDeliveries) email: Queue,
    @InjectQueue(QueueName.SmsDeliveries) sms: Queue,
  ) {
    this.queues = { line, email, sms };
  }

  @JobHandler(JobName.LaunchBroadcast)
  async launch(data: LaunchJobData): Promise<{ recipients: number; jobs: number }> {
    const tenantId = asTenantId(data.tenantId);
    RequestContext.assign({ tenantId, broadcastId: data.broadcastId });
    const broadcast = await this.snapshot(tenantId, data.broadcastId);
    if (!broadcast) return { recipients: 0, jobs: 0 };
    const jobs = await this.enqueueSends(tenantId, broadcast);
    await this.db.run(tenantId, (tx) => this.recorder.completeIfDone(tx, tenantId, broadcast.id));
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
        const recipients = await snapshotRecipients(tx, tenantId, broadcast);
        return tx.broadcast.update({ where: { id: broadcastId }, data: { status: 'sending', recipientCount: recipients, launchedAt: new Date() } });
      },
      { timeout: 5 * 60_000 },
    );
  }

  private async enqueueSends(tenantId: TenantId, broadcast: Broadcast): Promise<number> {
    const batches = await this.db.run(tenantId, (tx) =>
      tx.$queryRaw<{ channel: Channel; batch: number }[]>`
        SELECT channel, batch FROM deliveries
        WHERE broadcast_id = ${broadcast.id}::uuid AND state = 'pending'
        GROUP BY channel, batch ORDER BY channel, batch`,
    );
    const { attempts, backoffMs } = this.config.delivery;
    // LINE first: it is the channel employees read first.
    for (const channel of ['line', 'email', 'sms'] as const) {
      const jobs = batches
        .filter((b) => b.channel === channel)
        .map((b) => ({
          name: SEND_JOB[channel],
          data: { tenantId, broadcastId: broadcast.id, batch: b.batch } satisfies SendJobData,
          opts: { jobId: sendJobId(channel, broadcast.id, b.batch), attempts, backoff: { type: PROVIDER_BACKOFF, delay: backoffMs } },
        }));
      for (let i = 0; i < jobs.length; i += 1000) await this.queues[channel].addBulk(jobs.slice(i, i + 1000));
    }
    return batches.length;
  }
}
