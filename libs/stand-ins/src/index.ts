export { LineStandIn, type AcceptedMulticast } from './line-stand-in.js';
export { TwilioStandIn, type AcceptedSms } from './twilio-stand-in.js';
export { SmtpSink, type ReceivedEmail } from './smtp-sink.js';
export { OpenApiChecker, specsDir } from './openapi-checker.js';
export type { Fault } from './faults.js';
export { type SentMessage } from './line-stand-in.js';
export { LineWebhooks, type LineStandInChannel, type WebhookEvent, type WebhookDelivery } from './line-webhooks.js';
export { WebhookChecker } from './webhook-checker.js';
