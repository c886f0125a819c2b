import { Module } from '@nestjs/common';
import { FanoutModule } from '#anpi/alerts';
import { AnswerRecordingModule } from '#anpi/answers';
import { AuditModule } from '#anpi/audit';
import { ChannelsModule } from '#anpi/channels';
import { AccountLinkHandler } from './events/account-link-handler.js';
import { FollowHandler } from './events/follow-handler.js';
import { LineEventClaims } from './events/line-event-claims.js';
import { LineEventGroupHandler } from './events/line-event-group-handler.js';
import { LineEventPrefetch } from './events/line-event-prefetch.js';
import { LineEventRouter } from './events/line-event-router.js';
import { LineResponder } from './events/line-responder.js';
import { LinkPrompt } from './events/link-prompt.js';
import { LinkedRecipients } from './events/linked-recipients.js';
import { PostbackHandler } from './events/postback-handler.js';
import { QuickAnswer } from './events/quick-answer.js';
import { TextMessageHandler } from './events/text-message-handler.js';
import { UncertainReplies } from './events/uncertain-replies.js';
import { InboxNotifier } from './inbox/inbox-notifier.js';
import { InboxRecorder } from './inbox/inbox-recorder.js';
import { InboxService } from './inbox/inbox.service.js';
import { LineChannelDirectory } from './line-channel-directory.js';
import { LineLinkDirectory } from './line-link-directory.js';
import { LineUnlinker } from './line-unlinker.js';
import { AccountLinkStart } from './linking/account-link-start.js';
import { ContactSender } from './linking/contact-sender.js';
import { InviteSender } from './linking/invite-sender.js';
import { InviteTokenSigner } from './linking/invite-token-signer.js';
import { LineInvitations } from './linking/line-invitations.js';
import { LinkCodeSender } from './linking/link-code-sender.js';
import { LinkCodes } from './linking/link-codes.js';
import { LinkNonces } from './linking/link-nonces.js';
import { LineWebhookIntake } from './webhook-intake.js';

const shared = [LineChannelDirectory, LineLinkDirectory, LineUnlinker, LinkNonces, InviteTokenSigner, ContactSender];

/** LINE on the api side: the webhook's intake, the link page's steps, invitations and the inbox. */
@Module({
  imports: [AuditModule, ChannelsModule],
  providers: [...shared, LineWebhookIntake, AccountLinkStart, LinkCodes, LineInvitations, InboxService],
  exports: [
    LineChannelDirectory,
    LineUnlinker,
    InviteTokenSigner,
    ContactSender,
    LineWebhookIntake,
    AccountLinkStart,
    LinkCodes,
    LineInvitations,
    InboxService,
  ],
})
export class LineModule {}

/** LINE on the worker side: handling webhook events, and sending invitations, codes and inbox emails. */
@Module({
  imports: [AuditModule, ChannelsModule, FanoutModule, AnswerRecordingModule],
  providers: [
    ...shared,
    LineEventRouter,
    LineEventGroupHandler,
    LineEventClaims,
    LineEventPrefetch,
    LineResponder,
    UncertainReplies,
    LinkPrompt,
    LinkedRecipients,
    QuickAnswer,
    FollowHandler,
    AccountLinkHandler,
    TextMessageHandler,
    PostbackHandler,
    InboxRecorder,
    InboxNotifier,
    InviteSender,
    LinkCodeSender,
  ],
})
export class LineEventsModule {}
