import type { SmsCredentials } from '../credentials.js';

/** Sending SMS. Throws TransientDeliveryError (retry) or PermanentDeliveryError (do not). */
export abstract class SmsChannel {
  abstract send(credentials: SmsCredentials, to: string, body: string): Promise<{ messageId: string }>;
}
