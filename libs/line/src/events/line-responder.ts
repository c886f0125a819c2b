import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
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
    if (userId) await this.line.push(channel.credentials, userId, batch, retryKeyOf(event.webhookEventId));
  }
}

/** A UUID (LINE's retry-key format) derived from the event id. */
function retryKeyOf(webhookEventId: string): string {
  const hex = createHash('sha256').update(`anpi/line-event-push/${webhookEventId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
