import { Injectable } from '@nestjs/common';
import { deterministicUuid } from '#anpi/tokens';
import { LineChannel, PermanentDeliveryError, type LineMessage } from '#anpi/channels';
import type { KnownLineChannel } from '../line-channel-directory.js';
import type { LineEvent } from './line-event.js';

/**
 * Answers an event: with its reply token (free of charge, valid about a minute, once), and when
 * that no longer works (a retried job, a late queue) with a push whose retry key comes from the
 * event, so a retry never sends twice. Transient errors propagate: BullMQ retries the job.
 */
@Injectable()
export class LineResponder {
  constructor(private readonly line: LineChannel) {}

  async respond(channel: KnownLineChannel, event: LineEvent, messages: LineMessage[]): Promise<void> {
    if (!messages.length) return;
    const batch = messages.slice(0, 5);
    if (event.replyToken) {
      try {
        await this.line.reply(channel.credentials, event.replyToken, batch);
        return;
      } catch (error) {
        if (!(error instanceof PermanentDeliveryError)) throw error;
      }
    }
    const userId = event.source?.userId;
    if (userId) await this.line.push(channel.credentials, userId, batch, deterministicUuid(`anpi/line-event-push/${event.webhookEventId}`));
  }
}
