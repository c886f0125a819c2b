import { randomUUID } from 'node:crypto';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { AppConfig } from '#anpi/config';
import { PermanentDeliveryError, TransientDeliveryError, withTimeout } from '../delivery-errors.js';
import type { OutgoingEmail } from './email-channel.js';
import { EmailProvider, type EmailAccount, type EmailBatchResult, type PersonalizedEmail } from './email-provider.js';
import { fillEmailMarkers } from './email-template.js';
import { envelopeRecipients, rawMime } from './raw-mime.js';

/**
 * Messages in flight per batch: SMTP has no idempotency key, so this is also the most a crash can
 * make a retry send twice.
 */
export const SMTP_MESSAGES_IN_FLIGHT = 25;

/**
 * Email over pooled SMTP connections (SMTP_URL: a relay, Mailpit, or the tests' server), one
 * message per recipient. Each message is one ready-made buffer (raw-mime.ts); nodemailer pipelines
 * the envelope and DATA where the server offers PIPELINING (RFC 2920), and connections stay open
 * for the whole alert rather than reconnecting every 100 messages. SMTP reports no bounces back.
 */
@Injectable()
export class SmtpEmailProvider extends EmailProvider implements OnApplicationShutdown {
  readonly kind = 'smtp' as const;
  readonly batchSize = SMTP_MESSAGES_IN_FLIGHT;
  private readonly transport: Transporter;

  constructor(private readonly config: AppConfig) {
    super();
    this.transport = nodemailer.createTransport({
      url: config.email.smtpUrl,
      pool: true,
      maxConnections: config.email.poolSize,
      maxMessages: Infinity,
      connectionTimeout: config.delivery.providerTimeoutMs,
      greetingTimeout: config.delivery.providerTimeoutMs,
      socketTimeout: config.delivery.providerTimeoutMs,
    } as Parameters<typeof nodemailer.createTransport>[0]);
  }

  async sendBatch(_account: EmailAccount, email: PersonalizedEmail): Promise<EmailBatchResult> {
    const result: EmailBatchResult = { accepted: [], refused: [], failure: null };
    const settled = await Promise.allSettled(
      email.recipients.map((r) =>
        this.send({
          from: email.from,
          to: r.to,
          subject: fillEmailMarkers(email.subject, r.values),
          text: fillEmailMarkers(email.text, r.values),
          html: fillEmailMarkers(email.html, r.values),
          inlineImages: email.inlineImages,
        }),
      ),
    );
    for (const [i, outcome] of settled.entries()) {
      const id = email.recipients[i]!.id;
      if (outcome.status === 'fulfilled') result.accepted.push({ id, messageId: outcome.value });
      else if (outcome.reason instanceof PermanentDeliveryError) result.refused.push({ id, reason: outcome.reason.message });
      else result.failure ??= outcome.reason as Error;
    }
    return result;
  }

  private async send(email: OutgoingEmail): Promise<string> {
    const messageId = `${randomUUID()}@${email.from.fromAddress.split('@')[1] ?? 'anpi'}`;
    const message = email.inlineImages?.length
      ? {
          messageId,
          from: { name: email.from.fromName, address: email.from.fromAddress },
          to: email.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
          attachments: email.inlineImages.map((image) => ({
            cid: image.cid,
            filename: image.filename,
            contentType: image.contentType,
            content: image.content,
          })),
        }
      : { envelope: { from: email.from.fromAddress, to: envelopeRecipients(email.to) }, raw: rawMime(email, messageId) };
    try {
      await withTimeout(this.transport.sendMail(message), this.config.delivery.providerTimeoutMs * 2, 'SMTP');
      return `<${messageId}>`;
    } catch (error) {
      if (error instanceof TransientDeliveryError) throw error;
      const code = (error as { responseCode?: number }).responseCode;
      const reason = `SMTP${code ? ` ${code}` : ''}: ${(error as Error).message}`;
      // 5xx: the server refused this message for good (unknown mailbox, policy); 4xx and
      // connection failures may pass later.
      if (code && code >= 500) throw new PermanentDeliveryError(reason);
      throw new TransientDeliveryError(reason);
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
