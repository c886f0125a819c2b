import type { EmailSender } from '../credentials.js';
import type { EmailRoute } from './email-provider.js';

export interface OutgoingEmail {
  from: EmailSender;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Inline images, referenced from the HTML as cid:<cid>. */
  inlineImages?: { cid: string; filename: string; contentType: string; content: Buffer }[];
}

/**
 * One email (a notice to admins, an invitation): through `route`'s primary provider, or its
 * secondary when the primary fails. Throws TransientDeliveryError (retry) or
 * PermanentDeliveryError (do not). Alerts go in batches instead (EmailProvider.sendBatch).
 */
export abstract class EmailChannel {
  abstract send(email: OutgoingEmail, route?: EmailRoute): Promise<{ messageId: string }>;
}
