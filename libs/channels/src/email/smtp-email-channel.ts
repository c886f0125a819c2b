import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { AppConfig } from '#anpi/config';
import { PermanentDeliveryError, TransientDeliveryError, withTimeout } from '../delivery-errors.js';
import { EmailChannel, type OutgoingEmail } from './email-channel.js';

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
    try {
      const info = (await withTimeout(
        this.transport.sendMail({
          from: { name: email.from.fromName, address: email.from.fromAddress },
          to: email.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
          attachments: email.inlineImages?.map((image) => ({ cid: image.cid, filename: image.filename, contentType: image.contentType, content: image.content })),
        }),
        this.config.delivery.providerTimeoutMs * 2,
        'SMTP',
      )) as { messageId: string };
      return { messageId: info.messageId };
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
