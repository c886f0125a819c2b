export { AlertsModule, FanoutModule, AutomaticAlertsModule, DeliveryReportsModule } from './alerts.module.js';
export { BounceEscalation } from './fanout/bounce-escalation.js';
export { DeliveryReports, type DeliveryReport, type UndeliveredEmail } from './fanout/delivery-reports.js';
export { AutomaticBroadcasts, LaunchInProgressError, type AutomaticBroadcastInput, type AutomaticSource } from './automatic-broadcasts.js';
export { AnswerTokenSigner, type AnswerTokenClaims, type AnswerTokenCheck } from './answer-token-signer.js';
export { TemplatesService } from './templates.service.js';
export { BroadcastLauncher, launchJobId, type LaunchJobData } from './broadcast-launcher.js';
export { BroadcastsService } from './broadcasts.service.js';
export { BroadcastPreviews } from './broadcast-preview.js';
export { ManualReminders } from './manual-reminders.js';
export { ShortAnswerLinks, SHORT_CODE, type ShortLinkTarget } from './short-answer-links.js';
export { displayTitle, DRILL_PREFIX } from './broadcast-views.js';
export {
  content,
  toJsonColumn,
  BroadcastContentError,
  type Question,
  type FreeText,
  type NotificationDetail,
  type Reminder,
  type Escalation,
  type Targets,
} from './broadcast-content.js';
export { PRESETS, PRESET_PREFIX, DEFAULT_NOTIFICATION_DETAIL } from './presets.js';
export { lineRetryKey, BATCH_SIZE, sendJobId } from './fanout/batches.js';
export { MESSAGES_IN_FLIGHT } from './fanout/per-recipient-delivery.js';
export { MessageComposer, render, offersQuickAnswer, locationQuestion } from './fanout/message-composer.js';
export * from './dto/question.dto.js';
export * from './dto/template.dto.js';
export * from './dto/broadcast.dto.js';
export * from './dto/broadcast-preview.dto.js';
