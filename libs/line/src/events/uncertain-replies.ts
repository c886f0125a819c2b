import { Injectable } from '@nestjs/common';
import { RedisService } from '#anpi/redis';

/** Long enough for every retry of the event's job; a reply token is dead by then anyway. */
const KEEP_SECONDS = 600;

/**
 * Replies whose outcome is unknown: no answer in time, the connection lost, LINE's 5xx. LINE may
 * have taken such a reply, and a reply token works once, so the retry is then refused as an invalid
 * token; pushing instead would send the employee the same message twice, and bill it. Noted in
 * Redis (the retry may run on another worker), only when a reply fails: the flood's happy path
 * writes nothing.
 */
@Injectable()
export class UncertainReplies {
  constructor(private readonly redis: RedisService) {}

  async note(channelKey: string, webhookEventId: string): Promise<void> {
    await this.redis.set(this.key(channelKey, webhookEventId), '1', 'EX', KEEP_SECONDS);
  }

  async noted(channelKey: string, webhookEventId: string): Promise<boolean> {
    return (await this.redis.exists(this.key(channelKey, webhookEventId))) === 1;
  }

  private key(channelKey: string, webhookEventId: string): string {
    return this.redis.key('line-reply-uncertain', channelKey, webhookEventId);
  }
}
