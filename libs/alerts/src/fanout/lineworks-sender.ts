import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { LineWorksChannel, lineworksBucket } from '#anpi/channels';
import { JobHandler, JobName } from '#anpi/queue';
import type { SendJobData } from './batches.js';
import { MessageComposer } from './message-composer.js';
import { PerRecipientDelivery } from './per-recipient-delivery.js';
import { SendBatchLoader } from './send-batch.js';
import { SendFailures } from './send-failures.js';

/**
 * LINE WORKS messages of one batch, one per user, each with its own answer link, at the tenant's
 * rate (requests a minute, shared by every worker through Redis). Recorded a group at a time like
 * email and SMS: a crash can repeat at most the group in flight (a few messages).
 */
@Injectable()
export class LineWorksSender {
  constructor(
    private readonly loader: SendBatchLoader,
    private readonly lineworks: LineWorksChannel,
    private readonly composer: MessageComposer,
    private readonly perRecipient: PerRecipientDelivery,
    private readonly failures: SendFailures,
  ) {}

  @JobHandler(JobName.SendLineWorks)
  async send(data: SendJobData, job: Job): Promise<{ sent: number; failed: number }> {
    const batch = await this.loader.load(data, 'lineworks');
    if (!batch) return { sent: 0, failed: 0 };
    const { tenantId, broadcast, deliveries } = batch;
    const app = batch.channels.lineworks;
    if (!app) {
      await this.failures.cannotSend(
        tenantId,
        broadcast.id,
        deliveries.map((d) => d.id),
        'LINE WORKS is not set up for this tenant',
      );
      return { sent: 0, failed: deliveries.length };
    }
    return this.perRecipient.run(job, 'lineworks', batch, { bucket: lineworksBucket(app), perMinute: app.ratePerMinute }, async (delivery) => {
      const userId = delivery.recipient.lineworksId!;
      await this.lineworks.send(app, userId, this.composer.lineworks(broadcast, delivery.recipient, batch.round));
      // LINE WORKS answers 201 without a message id.
      return { messageId: `lineworks:${delivery.id}`, units: 1 };
    });
  }
}
