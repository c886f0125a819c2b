import type { EmailRoute } from './email/email-provider.js';
import type { LineWorksApp } from './lineworks/lineworks-app.js';

/** The shared official account's key (webhook URL, employees' links); a tenant's own is its channel id. */
export const PLATFORM_CHANNEL_KEY = 'platform';

/** A LINE channel to send with: a tenant's own, or the platform's shared official account. */
export interface LineCredentials {
  /** "platform" or the tenant's channel id. Rate limits, retry keys and LINE user ids are per channel. */
  channelKey: string;
  accessToken: string;
}

export interface EmailSender {
  fromName: string;
  fromAddress: string;
}

export interface SmsCredentials {
  accountSid: string;
  authToken: string;
  from?: string;
  messagingServiceSid?: string;
}

export interface ResolvedChannels {
  /** null when neither the tenant nor the platform has a LINE channel configured. */
  line: LineCredentials | null;
  email: EmailSender;
  /** The email providers to send with: the tenant's own, or the platform's. */
  emailRoute: EmailRoute;
  sms: SmsCredentials | null;
  /** The tenant's own LINE WORKS app and bot (there is no platform one); null when not set up. */
  lineworks: LineWorksApp | null;
}
