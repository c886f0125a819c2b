import { randomUUID } from 'node:crypto';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { AppConfig } from '#anpi/config';
import { PermanentDeliveryError, TransientDeliveryError, withTimeout } from '../delivery-errors.js';
import { EmailChannel, type OutgoingEmail } from './email-channel.js';
import { envelopeRecipients, rawMime } from './raw-mime.js';

/** EmailChannel over pooled SMTP connections (SMTP_URL: a relay, Mailpit, or the tests' server). */
@Injectable()
export class SmtpEmailChannel extends EmailChannel implements OnApplicationShutdown {
  private readonly transport: Transporter;

  constructor(private readonly config: AppConfig) {
    super();
    this.transport = nodemailer.createTransport({
      url: config.email.smtpUrl,
      pool: true,
      maxConnections: config.email.poolSize,
      connectionTimeout: config.delivery.providerTimeoutMs,
      greetingTimeout: config.delivery.providerTimeoutMs,
      socketTimeout: config.delivery.providerTimeoutMs,
    } as Parameters<typeof nodemailer.createTransport>[0]);
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
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
      return { messageId: `<${messageId}>` };
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
