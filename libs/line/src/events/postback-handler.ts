import { Injectable } from '@nestjs/common';
import { LineLinkDirectory } from '../line-link-directory.js';
import type { KnownLineChannel } from '../line-channel-directory.js';
import { LineUnlinker } from '../line-unlinker.js';
import { alertButton, eventTime, type LineEvent } from './line-event.js';
import type { LineEventLookups } from './line-event-prefetch.js';
import { CLOSED, NOT_A_RECIPIENT, NOT_LINKED, SAFE_RECORDED, UNLINKED_TEXT, answerLinks } from './line-messages.js';
import { LineResponder } from './line-responder.js';
import { LinkPrompt } from './link-prompt.js';
import { LinkedRecipients } from './linked-recipients.js';
import { QuickAnswer } from './quick-answer.js';

/**
 * Buttons: 回答する (`answer:<broadcast>`) replies with the personal answer link; 無事です
 * (`safe:<broadcast>`) records 本人 = 無事 and replies with the link for the rest; 解除する
 * (`unlink`) removes the link.
 */
@Injectable()
export class PostbackHandler {
  constructor(
    private readonly links: LineLinkDirectory,
    private readonly responder: LineResponder,
    private readonly prompt: LinkPrompt,
    private readonly recipients: LinkedRecipients,
    private readonly quick: QuickAnswer,
    private readonly unlinker: LineUnlinker,
  ) {}

  /** `lookups`: the links and recipients read once for the event's whole group, if it came in one. */
  async handle(channel: KnownLineChannel, event: LineEvent, userId: string, lookups?: LineEventLookups): Promise<string> {
    const data = event.postback?.data ?? '';
    const links = lookups?.links.get(userId) ?? (await this.links.linksOf(channel.key, userId));
    if (data === 'unlink') {
      let removed = false;
      for (const link of links) removed = (await this.unlinker.unlink(link.tenantId, link.employeeId, { type: 'system', id: null }, 'employee')) || removed;
      await this.responder.respond(channel, event, [{ type: 'text', text: removed ? UNLINKED_TEXT : NOT_LINKED }]);
      return removed ? 'unlinked' : 'not_linked';
    }
    const button = alertButton(event);
    if (!button) return 'ignored';
    if (!links.length) {
      await this.responder.respond(channel, event, [await this.prompt.message(channel, userId)]);
      return 'link_prompt';
    }
    const prefetched = lookups?.recipient(links, button.broadcastId);
    const ctx = prefetched !== undefined ? prefetched : await this.recipients.inBroadcast(links, button.broadcastId);
    if (!ctx) {
      await this.responder.respond(channel, event, [{ type: 'text', text: NOT_A_RECIPIENT }]);
      return 'not_recipient';
    }
    if (ctx.broadcast.closedAt) {
      await this.responder.respond(channel, event, [{ type: 'text', text: CLOSED }]);
      return 'closed';
    }
    if (button.kind === 'safe') {
      const outcome = await this.quick.recordSafe(ctx, event.webhookEventId, eventTime(event));
      if (outcome === 'closed') {
        await this.responder.respond(channel, event, [{ type: 'text', text: CLOSED }]);
        return 'closed';
      }
      const head = outcome === 'recorded' ? [{ type: 'text' as const, text: SAFE_RECORDED }] : [];
      await this.responder.respond(channel, event, [...head, ...answerLinks([this.recipients.url(ctx)])]);
      return outcome === 'recorded' ? 'answered_safe' : 'answer_link';
    }
    await this.responder.respond(channel, event, answerLinks([this.recipients.url(ctx)]));
    return 'answer_link';
  }
}
