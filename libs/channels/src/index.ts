export { ChannelsModule } from './channels.module.js';
export { ChannelSettingsService } from './channel-settings.service.js';
export { SecretBox } from './secret-box.js';
export { ProviderRateLimiter } from './rate-limiter.js';
export { LineChannel, type LineMessage, type LineAction, type LineQuickReply, type LineProfile, type MulticastResult } from './line/line-channel.js';
export { EmailChannel, type OutgoingEmail } from './email/email-channel.js';
export { escapeHtml, plainTextHtml } from './email/email-html.js';
export {
  EmailProvider,
  type EmailAccount,
  type EmailRoute,
  type EmailProviderKind,
  type EmailRecipient,
  type PersonalizedEmail,
  type EmailBatchResult,
} from './email/email-provider.js';
export { EmailProviders } from './email/email-providers.js';
export { EmailFailover, type EmailRole } from './email/email-failover.js';
export { EMAIL_MARKERS, fillEmailMarkers, type EmailValues } from './email/email-template.js';
export { DELIVERY_ID_ARG, mailSendBody } from './email/sendgrid-email-provider.js';
export { checkEventSignature, parseWebhookPublicKey, MAX_EVENT_SKEW_SECONDS } from './email/event-webhook-signature.js';
export { SmsChannel } from './sms/sms-channel.js';
export { LineWorksChannel, type LineWorksRateState } from './lineworks/lineworks-channel.js';
export { LineWorksTokens } from './lineworks/lineworks-tokens.js';
export { LineWorksConnection } from './lineworks/lineworks-connection.js';
export { lineworksBucket } from './lineworks/lineworks-api-channel.js';
export { LINEWORKS_LIMITS, type LineWorksApp, type LineWorksAction, type LineWorksContent } from './lineworks/lineworks-app.js';
export { countSmsSegments, type SmsSegments } from './sms/sms-segments.js';
export { TransientDeliveryError, ProviderThrottledError, PermanentDeliveryError, retryAfterMs } from './delivery-errors.js';
export { PLATFORM_CHANNEL_KEY } from './credentials.js';
export type { LineCredentials, EmailSender, SmsCredentials, ResolvedChannels } from './credentials.js';
export * from './dto/channel-settings.dto.js';
