import type { EmailSender } from '../credentials.js';
import type { EmailValues } from './email-template.js';

export type EmailProviderKind = 'smtp' | 'sendgrid';

/** An account to send with: the platform's, or a tenant's own (SendGrid API key). */
export interface EmailAccount {
  kind: EmailProviderKind;
  /** "platform", or the tenant id whose own account this is. The failover state is kept per account. */
  key: string;
  apiKey?: string;
}

/** Where a tenant's email goes: the primary account, and the one it fails over to (null: none). */
export interface EmailRoute {
  primary: EmailAccount;
  secondary: EmailAccount | null;
}

export interface EmailRecipient {
  /** The delivery id (SendGrid carries it as a custom argument, so events map back), or a notice's own id. */
  id: string;
  /** One address, or a comma-separated list for a notice to several people. */
  to: string;
  values: EmailValues;
}

/** One email for many recipients: subject, text and HTML with markers (see email-template.ts). */
export interface PersonalizedEmail {
  from: EmailSender;
  subject: string;
  text: string;
  html: string;
  /** Inline images, referenced from the HTML as cid:<cid>. */
  inlineImages?: { cid: string; filename: string; contentType: string; content: Buffer }[];
  recipients: EmailRecipient[];
  /** Custom arguments carry the recipient id as a delivery id (alerts), or nothing (notices). */
  trackDeliveries: boolean;
}

/**
 * What became of each recipient: accepted, refused for good, or neither because the provider
 * failed (`failure`, a TransientDeliveryError: the rest wait for a retry or another provider).
 */
export interface EmailBatchResult {
  accepted: { id: string; messageId: string }[];
  refused: { id: string; reason: string }[];
  failure: Error | null;
}

/** One email provider's way of sending a batch. One adapter per provider (SMTP, SendGrid). */
export abstract class EmailProvider {
  abstract readonly kind: EmailProviderKind;
  /** Recipients per call of `sendBatch`: SendGrid's request size, SMTP's messages in flight. */
  abstract readonly batchSize: number;
  abstract sendBatch(account: EmailAccount, email: PersonalizedEmail): Promise<EmailBatchResult>;
}
