import { Injectable } from '@nestjs/common';
import { RedisService } from '#anpi/redis';

// Fixed one-second windows in Redis: every worker process shares the same count per credential.
const TAKE = `
local n = redis.call('INCRBY', KEYS[1], ARGV[2])
if n == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], 1100) end
if n > tonumber(ARGV[1]) then return redis.call('PTTL', KEYS[1]) end
return 0`;

/**
 * Provider rate limits per credential (LINE: 200 multicast requests a second per channel), shared
 * across worker processes through Redis. `acquire` waits until a slot in the current second is free.
 */
@Injectable()
export class ProviderRateLimiter {
  constructor(private readonly redis: RedisService) {}

  /** Waits for `count` slots at once (at most `perSecond`: a larger group must be split by the caller). */
  async acquire(bucket: string, perSecond: number, count = 1): Promise<void> {
    const take = Math.min(Math.max(1, count), perSecond);
    for (;;) {
      const window = Math.floor(Date.now() / 1000);
      const wait = (await this.redis.eval(TAKE, 1, this.redis.key('rate', bucket, String(window)), perSecond, take)) as number;
      if (wait <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1000 - (Date.now() % 1000)) + 1));
    }
  }
}
