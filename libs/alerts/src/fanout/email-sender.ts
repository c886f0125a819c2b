import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppConfig } from '#anpi/config';
import { EmailChannel, PermanentDeliveryError, ProviderRateLimiter } from '#anpi/channels';
import { TenantDb } from '#anpi/db';
import { JobHandler, JobName, isFinalAttempt } from '#anpi/queue';
import type { SendJobData } from './batches.js';
import { DeliveryRecorder } from './delivery-recorder.js';
import { MessageComposer } from './message-composer.js';
import { SendBatchLoader } from './send-batch.js';

/**
 * Emails of one batch, one by one, each recorded as sent the moment the server accepts it: after
 * a crash, only the message in flight can go out twice (SMTP has no idempotency key).
 */
@Injectable()
export class EmailSender {
  constructor(
    private readonly loader: SendBatchLoader,
    private readonly email: EmailChannel,
    private readonly limiter: ProviderRateLimiter,
    private readonly composer: MessageComposer,
    private readonly recorder: DeliveryRecorder,
    private readonly db: TenantDb,
    private readonly config: AppConfig,
  ) {}

  @JobHandler(JobName.SendEmail)
  async send(data: SendJobData, job: Job): Promise<{ sent: number; failed: number }> {
    const batch = await this.loader.load(data, 'email');
    if (!batch) return { sent: 0, failed: 0 };
    const { tenantId, broadcast, channels, deliveries } = batch;
    let sent = 0;
    let failed = 0;
    for (const [index, delivery] of deliveries.entries()) {
      const message = this.composer.email(broadcast, delivery.recipient);
      try {
        await this.limiter.acquire(`email:${channels.email.fromAddress}`, this.config.email.ratePerSecond);
        const { messageId } = await this.email.send({ from: channels.email, to: delivery.recipient.emails[delivery.contactIndex]!, ...message });
        sent += await this.db.run(tenantId, (tx) => this.recorder.sent(tx, tenantId, broadcast, 'email', [delivery.id], messageId, 1));
      } catch (error) {
        const reason = (error as Error).message;
        if (error instanceof PermanentDeliveryError) {
          await this.db.run(tenantId, (tx) => this.recorder.failed(tx, tenantId, broadcast.id, [delivery.id], reason));
          failed++;
          continue;
        }
        // The rest of the batch waits for the retry; on the last attempt it is failed, never left pending.
        const rest = deliveries.slice(index).map((d) => d.id);
        await this.db.run(tenantId, (tx) => (isFinalAttempt(job) ? this.recorder.failed(tx, tenantId, broadcast.id, rest, reason) : this.recorder.attempted(tx, tenantId, rest, reason)));
        throw error;
      }
    }
    await this.db.run(tenantId, (tx) => this.recorder.completeIfDone(tx, tenantId, broadcast.id));
    return { sent, failed };
  }
}
