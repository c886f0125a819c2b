import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppConfig } from '#anpi/config';
import { SmsChannel, countSmsSegments } from '#anpi/channels';
import { JobHandler, JobName } from '#anpi/queue';
import type { SendJobData } from './batches.js';
import { MessageComposer } from './message-composer.js';
import { PerRecipientDelivery } from './per-recipient-delivery.js';
import { SendBatchLoader } from './send-batch.js';
import { SendFailures } from './send-failures.js';
import { ShortAnswerLinks } from '../short-answer-links.js';

/** SMS of one batch, one message per mobile number, billed by segment. */
@Injectable()
export class SmsSender {
  constructor(
    private readonly loader: SendBatchLoader,
    private readonly sms: SmsChannel,
    private readonly composer: MessageComposer,
    private readonly perRecipient: PerRecipientDelivery,
    private readonly failures: SendFailures,
    private readonly config: AppConfig,
    private readonly shortLinks: ShortAnswerLinks,
  ) {}

  @JobHandler(JobName.SendSms)
  async send(data: SendJobData, job: Job): Promise<{ sent: number; failed: number }> {
    const batch = await this.loader.load(data, 'sms');
    if (!batch) return { sent: 0, failed: 0 };
    const { tenantId, broadcast, deliveries } = batch;
    const credentials = batch.channels.sms;
    if (!credentials) {
      await this.failures.cannotSend(
        tenantId,
        broadcast.id,
        deliveries.map((d) => d.id),
        'no SMS sender configured for this tenant or the platform',
      );
      return { sent: 0, failed: deliveries.length };
    }
    const codes = await this.shortLinks.issue(tenantId, broadcast.id, [...new Set(deliveries.map((d) => d.recipient.id))]);
    return this.perRecipient.run(job, 'sms', batch, { bucket: `sms:${credentials.accountSid}`, perSecond: this.config.sms.ratePerSecond }, async (delivery) => {
      const text = this.composer.sms(broadcast, delivery.recipient, batch.round, codes.get(delivery.recipient.id));
      const { messageId } = await this.sms.send(credentials, delivery.recipient.mobiles[delivery.contactIndex]!, text);
      return { messageId, units: countSmsSegments(text).segments };
    });
  }
}
