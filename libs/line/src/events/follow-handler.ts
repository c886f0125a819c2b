import { Injectable } from '@nestjs/common';
import type { KnownLineChannel } from '../line-channel-directory.js';
import { LineLinkDirectory } from '../line-link-directory.js';
import { LineUnlinker } from '../line-unlinker.js';
import { eventTime, type LineEvent } from './line-event.js';
import { WELCOME, WELCOME_BACK } from './line-messages.js';
import { LineResponder } from './line-responder.js';
import { LinkPrompt } from './link-prompt.js';

/**
 * follow: a linked employee who comes back is reachable again; anyone else is welcomed with the
 * way to link. unfollow (blocked): alerts skip LINE for them and go by email or SMS instead,
 * without a failed LINE delivery per alert. Each is dated by LINE's event time: one handled after
 * a later one (separate webhook requests are separate jobs) changes nothing.
 */
@Injectable()
export class FollowHandler {
  constructor(
    private readonly links: LineLinkDirectory,
    private readonly unlinker: LineUnlinker,
    private readonly responder: LineResponder,
    private readonly prompt: LinkPrompt,
  ) {}

  async follow(channel: KnownLineChannel, event: LineEvent, userId: string): Promise<string> {
    const links = await this.links.linksOf(channel.key, userId);
    if (links.length) {
      let applied = false;
      for (const link of links) applied = (await this.unlinker.markReachable(link.tenantId, link.employeeId, eventTime(event) ?? new Date())) || applied;
      // A follow older than an unfollow already applied: the user has blocked the account since.
      if (!applied) return 'stale';
      await this.responder.respond(channel, event, [{ type: 'text', text: WELCOME_BACK }]);
      return 'reachable';
    }
    await this.responder.respond(channel, event, [{ type: 'text', text: WELCOME }, await this.prompt.message(channel, userId)]);
    return 'welcomed';
  }

  async unfollow(channel: KnownLineChannel, event: LineEvent, userId: string): Promise<string> {
    const links = await this.links.linksOf(channel.key, userId);
    for (const link of links) await this.unlinker.markUnreachable(link.tenantId, link.employeeId, eventTime(event) ?? new Date());
    return links.length ? 'unreachable' : 'ignored';
  }
}
