import { Injectable, Logger } from '@nestjs/common';
import { deterministicUuid } from '#anpi/tokens';
import { LineChannel, PermanentDeliveryError, ProviderThrottledError, type LineMessage } from '#anpi/channels';
import type { KnownLineChannel } from '../line-channel-directory.js';
import type { LineEvent } from './line-event.js';
import { UncertainReplies } from './uncertain-replies.js';

/**
 * How long after its event a reply token is taken to be alive: LINE says to reply within a minute;
 * a few seconds are left for clocks and the request itself.
 */
const REPLY_TOKEN_ALIVE_MS = 55_000;

/**
 * Answers an event: with its reply token (free of charge, valid about a minute, once), and when
 * that no longer works (a retried job, a late queue) with a push whose retry key comes from the
 * event, so a retry never sends twice. Transient errors propagate: BullMQ retries the job. A reply
 * whose outcome was unknown is not followed by a push when its retry finds the token used while
 * it cannot yet have expired: the first reply got through.
 */
@Injectable()
export class LineResponder {
  private readonly logger = new Logger('LineEvents');

  constructor(
    private readonly line: LineChannel,
    private readonly uncertain: UncertainReplies,
  ) {}

  async respond(channel: KnownLineChannel, event: LineEvent, messages: LineMessage[]): Promise<void> {
    if (!messages.length) return;
    const batch = messages.slice(0, 5);
    if (event.replyToken) {
      try {
        await this.line.reply(channel.credentials, event.replyToken, batch);
        return;
      } catch (error) {
        if (!(error instanceof PermanentDeliveryError)) {
          // A 429 was refused, not taken; anything else may have been taken.
          if (!(error instanceof ProviderThrottledError)) await this.noteUncertain(channel, event);
          throw error;
        }
        if (await this.repliedBefore(channel, event, error)) {
          this.logger.warn({ msg: 'line reply token used by an earlier attempt; not pushed', channelKey: channel.key, webhookEventId: event.webhookEventId });
          return;
        }
      }
    }
    const userId = event.source?.userId;
    if (userId) await this.line.push(channel.credentials, userId, batch, deterministicUuid(`anpi/line-event-push/${event.webhookEventId}`));
  }

  /** Not being able to note it costs at most one repeated message (the retry pushes); the reply's own error is what fails the job. */
  private async noteUncertain(channel: KnownLineChannel, event: LineEvent): Promise<void> {
    try {
      await this.uncertain.note(channel.key, event.webhookEventId);
    } catch (error) {
      this.logger.warn({ msg: 'line reply of unknown outcome not noted', channelKey: channel.key, webhookEventId: event.webhookEventId, error: String(error) });
    }
  }

  private async repliedBefore(channel: KnownLineChannel, event: LineEvent, error: PermanentDeliveryError): Promise<boolean> {
    if (!/Invalid reply token/i.test(error.message) || Date.now() - event.timestamp > REPLY_TOKEN_ALIVE_MS) return false;
    return this.uncertain.noted(channel.key, event.webhookEventId);
  }
}
