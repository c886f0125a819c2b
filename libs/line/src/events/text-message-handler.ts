import { Injectable } from '@nestjs/common';
import type { KnownLineChannel } from '../line-channel-directory.js';
import { LineLinkDirectory } from '../line-link-directory.js';
import { InboxRecorder } from '../inbox/inbox-recorder.js';
import { InviteTokenSigner } from '../linking/invite-token-signer.js';
import type { LineEvent } from './line-event.js';
import { ALREADY_LINKED, NOT_AN_ANSWER, NOT_LINKED, answerLinks, unlinkConfirm } from './line-messages.js';
import { LineResponder } from './line-responder.js';
import { LinkPrompt } from './link-prompt.js';
import { LinkedRecipients } from './linked-recipients.js';

/** The words the invitation page pre-fills ("連携 <invite token>"), and the two commands. */
const INVITE = /^(?:連携|link)\s+([A-Za-z0-9_-]{71})$/i;
const LINK = /^(?:連携|link)$/i;
const UNLINK = /^(?:連携解除|unlink)$/i;

/**
 * Text from employees. Linked: the message goes to the tenant's inbox and the employee is told it
 * is not a safety answer (with their open answer links). Not linked: the way to link.
 */
@Injectable()
export class TextMessageHandler {
  constructor(
    private readonly links: LineLinkDirectory,
    private readonly responder: LineResponder,
    private readonly prompt: LinkPrompt,
    private readonly invites: InviteTokenSigner,
    private readonly inbox: InboxRecorder,
    private readonly recipients: LinkedRecipients,
  ) {}

  async handle(channel: KnownLineChannel, event: LineEvent, userId: string): Promise<string> {
    if (event.message?.type !== 'text' || typeof event.message.text !== 'string') return 'ignored';
    const text = event.message.text;
    const command = text.normalize('NFKC').trim();
    const links = await this.links.linksOf(channel.key, userId);
    const invite = INVITE.exec(command);
    if (invite) {
      const valid = this.invites.verify(invite[1]) !== null;
      await this.responder.respond(channel, event, [await this.prompt.message(channel, userId, valid ? invite[1] : undefined)]);
      return 'link_prompt';
    }
    if (UNLINK.test(command)) {
      await this.responder.respond(channel, event, [links.length ? unlinkConfirm() : { type: 'text', text: NOT_LINKED }]);
      return 'unlink_confirm';
    }
    if (!links.length || LINK.test(command)) {
      await this.responder.respond(channel, event, [links.length ? { type: 'text', text: ALREADY_LINKED } : await this.prompt.message(channel, userId)]);
      return 'link_prompt';
    }
    await this.inbox.record(links, channel.key, userId, event.webhookEventId, text);
    const open = await this.recipients.openLinks(links);
    await this.responder.respond(channel, event, [{ type: 'text', text: NOT_AN_ANSWER }, ...answerLinks(open)]);
    return 'inbox';
  }
}
