import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppConfig } from '#anpi/config';
import { PermanentDeliveryError, ProviderRateLimiter, SmsChannel, countSmsSegments } from '#anpi/channels';
import { TenantDb } from '#anpi/db';
import { JobHandler, JobName, isFinalAttempt } from '#anpi/queue';
import type { SendJobData } from './batches.js';
import { DeliveryRecorder } from './delivery-recorder.js';
import { MessageComposer } from './message-composer.js';
import { SendBatchLoader } from './send-batch.js';

/** SMS of one batch, one by one, billed by segment; like email, only the message in flight can repeat after a crash. */
@Injectable()
export class SmsSender {
  constructor(
    private readonly loader: SendBatchLoader,
    private readonly sms: SmsChannel,
    private readonly limiter: ProviderRateLimiter,
    private readonly composer: MessageComposer,
    private readonly recorder: DeliveryRecorder,
    private readonly db: TenantDb,
    private readonly config: AppConfig,
  ) {}

  @JobHandler(JobName.SendSms)
  async send(data: SendJobData, job: Job): Promise<{ sent: number; failed: number }> {
    const batch = await this.loader.load(data, 'sms');
    if (!batch) return { sent: 0, failed: 0 };
    const { tenantId, broadcast, channels, deliveries } = batch;
    if (!channels.sms) {
      await this.db.run(tenantId, (tx) => this.recorder.failed(tx, tenantId, broadcast.id, deliveries.map((d) => d.id), 'no SMS sender configured for this tenant or the platform'));
      return { sent: 0, failed: deliveries.length };
    }
    let sent = 0;
    let failed = 0;
    for (const [index, delivery] of deliveries.entries()) {
      const text = this.composer.sms(broadcast, delivery.recipient);
      try {
        await this.limiter.acquire(`sms:${channels.sms.accountSid}`, this.config.sms.ratePerSecond);
        const { messageId } = await this.sms.send(channels.sms, delivery.recipient.mobiles[delivery.contactIndex]!, text);
        sent += await this.db.run(tenantId, (tx) => this.recorder.sent(tx, tenantId, broadcast, 'sms', [delivery.id], messageId, countSmsSegments(text).segments));
      } catch (error) {
        const reason = (error as Error).message;
        if (error instanceof PermanentDeliveryError) {
          await this.db.run(tenantId, (tx) => this.recorder.failed(tx, tenantId, broadcast.id, [delivery.id], reason));
          failed++;
          continue;
        }
        const rest = deliveries.slice(index).map((d) => d.id);
        await this.db.run(tenantId, (tx) => (isFinalAttempt(job) ? this.recorder.failed(tx, tenantId, broadcast.id, rest, reason) : this.recorder.attempted(tx, tenantId, rest, reason)));
        throw error;
      }
    }
    await this.db.run(tenantId, (tx) => this.recorder.completeIfDone(tx, tenantId, broadcast.id));
    return { sent, failed };
  }
}
