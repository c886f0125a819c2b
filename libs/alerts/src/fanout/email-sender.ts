import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppConfig } from '#anpi/config';
import { EmailChannel } from '#anpi/channels';
import { JobHandler, JobName } from '#anpi/queue';
import type { SendJobData } from './batches.js';
import { MessageComposer } from './message-composer.js';
import { PerRecipientDelivery } from './per-recipient-delivery.js';
import { SendBatchLoader } from './send-batch.js';

/** Emails of one batch, one message per recipient address (SMTP has no idempotency key). */
@Injectable()
export class EmailSender {
  constructor(
    private readonly loader: SendBatchLoader,
    private readonly email: EmailChannel,
    private readonly composer: MessageComposer,
    private readonly perRecipient: PerRecipientDelivery,
    private readonly config: AppConfig,
  ) {}

  @JobHandler(JobName.SendEmail)
  async send(data: SendJobData, job: Job): Promise<{ sent: number; failed: number }> {
    const batch = await this.loader.load(data, 'email');
    if (!batch) return { sent: 0, failed: 0 };
    const from = batch.channels.email;
    return this.perRecipient.run(job, 'email', batch, { bucket: `email:${from.fromAddress}`, perSecond: this.config.email.ratePerSecond }, async (delivery) => {
      const message = this.composer.email(batch.broadcast, delivery.recipient, batch.round);
      const { messageId } = await this.email.send({ from, to: delivery.recipient.emails[delivery.contactIndex]!, ...message });
      return { messageId, units: 1 };
    });
  }
}
