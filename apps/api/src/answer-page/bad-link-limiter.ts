import { Injectable } from '@nestjs/common';
import { RedisService } from '#anpi/redis';

const WINDOW_SECONDS = 60;
const LIMIT = 20;

/**
 * Counts forged answer links (MAC wrong) per client address: guessing links is pointless (128-bit
 * MACs), but trying should also be slow. Over the limit, forged links get 429 for the rest of the
 * minute; genuine links are never checked here.
 */
@Injectable()
export class BadLinkLimiter {
  constructor(private readonly redis: RedisService) {}

  async blocked(ip: string): Promise<boolean> {
    return Number((await this.redis.get(this.key(ip))) ?? 0) >= LIMIT;
  }

  async bad(ip: string): Promise<void> {
    await this.redis.multi().incr(this.key(ip)).expire(this.key(ip), WINDOW_SECONDS, 'NX').exec();
  }

  private key(ip: string): string {
    return this.redis.key('answer-bad-link', ip);
  }
}
