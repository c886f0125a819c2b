import { Module } from '@nestjs/common';
import { AuditModule } from '#anpi/audit';
import { UsageWatchModule } from '#anpi/billing';
import { ChannelsModule } from '#anpi/channels';
import { TalliesModule } from '#anpi/tallies';
import { AnswerTokenSigner } from './answer-token-signer.js';
import { BroadcastLauncher } from './broadcast-launcher.js';
import { BroadcastsService } from './broadcasts.service.js';
import { ManualReminders } from './manual-reminders.js';
import { BroadcastFanout } from './fanout/broadcast-fanout.js';
import { DeliveryRecorder } from './fanout/delivery-recorder.js';
import { EmailSender } from './fanout/email-sender.js';
import { EmailProviderNotes } from './fanout/email-provider-notes.js';
import { BounceEscalation } from './fanout/bounce-escalation.js';
import { DeliveryReports } from './fanout/delivery-reports.js';
import { FollowUps } from './fanout/follow-ups.js';
import { LineSender } from './fanout/line-sender.js';
import { MessageComposer } from './fanout/message-composer.js';
import { PerRecipientDelivery } from './fanout/per-recipient-delivery.js';
import { SendBatchLoader } from './fanout/send-batch.js';
import { SendFailures } from './fanout/send-failures.js';
import { SendQueue } from './fanout/send-queue.js';
import { SmsSender } from './fanout/sms-sender.js';
import { LineWorksSender } from './fanout/lineworks-sender.js';
import { ShortAnswerLinks } from './short-answer-links.js';
import { TemplatesService } from './templates.service.js';
import { AutomaticBroadcasts } from './automatic-broadcasts.js';
import { BroadcastPreviews } from './broadcast-preview.js';

/** Templates, launching and steering broadcasts (api side). */
@Module({
  imports: [AuditModule, ChannelsModule],
  providers: [AnswerTokenSigner, ShortAnswerLinks, TemplatesService, BroadcastLauncher, BroadcastsService, ManualReminders, MessageComposer, BroadcastPreviews],
  exports: [AnswerTokenSigner, ShortAnswerLinks, TemplatesService, BroadcastLauncher, BroadcastsService, ManualReminders, BroadcastPreviews],
})
export class AlertsModule {}

/** Queueing a round's send jobs: one instance for the fan-out and automatic launch alike. */
@Module({ providers: [SendQueue], exports: [SendQueue] })
export class SendQueueModule {}

/** The fan-out stages and senders (worker side). */
@Module({
  imports: [AuditModule, ChannelsModule, TalliesModule, UsageWatchModule, SendQueueModule],
  providers: [
    AnswerTokenSigner,
    ShortAnswerLinks,
    DeliveryRecorder,
    SendFailures,
    MessageComposer,
    PerRecipientDelivery,
    SendBatchLoader,
    FollowUps,
    BroadcastFanout,
    LineSender,
    EmailSender,
    EmailProviderNotes,
    SmsSender,
    LineWorksSender,
  ],
  exports: [AnswerTokenSigner, MessageComposer],
})
export class FanoutModule {}

/** What automatic launch needs of alerts (worker side): broadcasts from templates, widened, cancelled, closed. */
@Module({
  imports: [AuditModule, ChannelsModule, TalliesModule, SendQueueModule],
  providers: [TemplatesService, AutomaticBroadcasts],
  exports: [AutomaticBroadcasts, TemplatesService],
})
export class AutomaticAlertsModule {}

/** Email providers' delivery reports onto deliveries, and escalating at once when one bounced (the email events' side). */
@Module({
  imports: [TalliesModule, SendQueueModule],
  providers: [DeliveryRecorder, DeliveryReports, BounceEscalation],
  exports: [DeliveryReports, BounceEscalation],
})
export class DeliveryReportsModule {}
