import type { EmailSender } from '../credentials.js';

export interface OutgoingEmail {
  from: EmailSender;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Inline images, referenced from the HTML as cid:<cid>. */
  inlineImages?: { cid: string; filename: string; contentType: string; content: Buffer }[];
}

/** Sending email. Throws TransientDeliveryError (retry) or PermanentDeliveryError (do not). */
export abstract class EmailChannel {
  abstract send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
