import { Injectable } from '@nestjs/common';
import { RedisService } from '#anpi/redis';

// Fixed one-second windows in Redis: every worker process shares the same count per credential.
const TAKE = `
local n = redis.call('INCRBY', KEYS[1], ARGV[2])
if n == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], 1100) end
if n > tonumber(ARGV[1]) then return redis.call('PTTL', KEYS[1]) end
return 0`;

// Evenly spaced slots (for limits counted per minute): the next free slot is kept in Redis, on
// Redis's clock so that workers on several machines agree. Returns how long until the first of
// `n` slots reserved one `interval` apart.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local pause = tonumber(ARGV[3])
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
if nextFree < now then nextFree = now end
if pause > 0 then
  if now + pause > nextFree then nextFree = now + pause end
  redis.call('SET', KEYS[1], nextFree, 'PX', nextFree - now + 60000)
  return 0
end
redis.call('SET', KEYS[1], nextFree + interval * n, 'PX', nextFree + interval * n - now + 60000)
return nextFree - now`;

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

  /**
   * For limits per minute (LINE WORKS: 240 a minute): reserves `count` slots spaced evenly
   * (60 s / perMinute apart) and returns, for each, how many milliseconds from now it may be used.
   * Requests spread like this never burst past the limit, whichever worker sends them.
   */
  async reserveSpaced(bucket: string, perMinute: number, count = 1): Promise<number[]> {
    const interval = 60_000 / perMinute;
    const first = (await this.redis.eval(RESERVE, 1, this.redis.key('rate-spaced', bucket), interval, count, 0)) as number;
    return Array.from({ length: count }, (_, i) => Math.max(0, first + Math.round(i * interval)));
  }

  /** The provider said to stop for a while (rate-limit headers, a 429): no slot of `bucket` before `ms` from now. */
  async pause(bucket: string, ms: number): Promise<void> {
    await this.redis.eval(RESERVE, 1, this.redis.key('rate-spaced', bucket), 1, 0, Math.max(1, Math.round(ms)));
  }
}
