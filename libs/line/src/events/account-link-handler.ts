import { Injectable } from '@nestjs/common';
import { LineChannel } from '#anpi/channels';
import type { KnownLineChannel } from '../line-channel-directory.js';
import { LinkNonces } from '../linking/link-nonces.js';
import type { LineEvent } from './line-event.js';
import { LINK_FAILED, linked } from './line-messages.js';
import { LineResponder } from './line-responder.js';
import { LinkPrompt } from './link-prompt.js';

/**
 * The end of LINE's account-link flow. Only `result: ok` with a live nonce links; anything else
 * changes nothing, and the employee is told and given a fresh button.
 */
@Injectable()
export class AccountLinkHandler {
  constructor(
    private readonly nonces: LinkNonces,
    private readonly line: LineChannel,
    private readonly responder: LineResponder,
    private readonly prompt: LinkPrompt,
  ) {}

  async handle(channel: KnownLineChannel, event: LineEvent, userId: string): Promise<string> {
    if (event.link?.result === 'ok') {
      const profile = await this.line.profile(channel.credentials, userId);
      const done = await this.nonces.complete(channel.key, event.link.nonce, userId, profile?.displayName ?? null);
      if (done) {
        await this.responder.respond(channel, event, [linked(done.name)]);
        return 'linked';
      }
    }
    await this.responder.respond(channel, event, [{ type: 'text', text: LINK_FAILED }, await this.prompt.message(channel, userId)]);
    return event.link?.result === 'ok' ? 'refused_nonce' : 'failed';
  }
}
