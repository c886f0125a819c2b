import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { PermanentDeliveryError } from '#anpi/channels';
import { TenantDb, type Channel } from '#anpi/db';
import { isFinalAttempt } from '#anpi/queue';
import { UsageWatch } from '#anpi/billing';
import { TallyNotifier } from '#anpi/tallies';
import { DeliveryRecorder } from './delivery-recorder.js';
import type { PendingDelivery, SendBatch } from './send-batch.js';

export type SendOne = (delivery: PendingDelivery) => Promise<{ messageId: string; units: number }>;

/**
 * Sends a batch message by message (email, SMS), recording each as sent the moment the provider
 * accepts it, so a crash can repeat only the message in flight. A permanent refusal fails that
 * delivery and moves on; a transient one leaves the rest for the retry (or fails them on the last
 * attempt) and rethrows, so BullMQ retries the job.
 */
@Injectable()
export class OneByOneDelivery {
  constructor(
    private readonly recorder: DeliveryRecorder,
    private readonly db: TenantDb,
    private readonly tallies: TallyNotifier,
    private readonly usage: UsageWatch,
  ) {}

  async run(job: Job, channel: Channel, batch: SendBatch, sendOne: SendOne): Promise<{ sent: number; failed: number }> {
    const { tenantId, broadcast } = batch;
    try {
      return await this.each(job, channel, batch, sendOne);
    } finally {
      await this.tallies.changed(tenantId, broadcast.id);
      await this.usage.recorded(tenantId);
    }
  }

  private async each(job: Job, channel: Channel, batch: SendBatch, sendOne: SendOne): Promise<{ sent: number; failed: number }> {
    const { tenantId, broadcast, deliveries } = batch;
    let sent = 0;
    let failed = 0;
    for (const [index, delivery] of deliveries.entries()) {
      try {
        const { messageId, units } = await sendOne(delivery);
        sent += await this.db.run(tenantId, (tx) => this.recorder.sent(tx, tenantId, broadcast, channel, [delivery.id], messageId, units));
      } catch (error) {
        const reason = (error as Error).message;
        if (error instanceof PermanentDeliveryError) {
          await this.db.run(tenantId, (tx) => this.recorder.failed(tx, tenantId, broadcast.id, [delivery.id], reason));
          failed++;
          continue;
        }
        const rest = deliveries.slice(index).map((d) => d.id);
        await this.db.run(tenantId, (tx) =>
          isFinalAttempt(job) ? this.recorder.failed(tx, tenantId, broadcast.id, rest, reason) : this.recorder.attempted(tx, tenantId, rest, reason),
        );
        throw error;
      }
    }
    await this.db.run(tenantId, (tx) => this.recorder.completeIfDone(tx, tenantId, broadcast.id));
    return { sent, failed };
  }
}
