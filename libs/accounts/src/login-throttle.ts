import { createHash } from 'node:crypto';
import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { AppConfig } from '#anpi/config';
import { RedisService } from '#anpi/redis';

export class TooManyLoginAttempts extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        code: 'login_throttled',
        message: `Too many failed logins. Try again in ${retryAfterSeconds} seconds.`,
        retryAfter: retryAfterSeconds,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * Counts failed logins per account and per client address in Redis, shared by every api process.
 * A window opens at the first failure; while the count is at its limit, logins are refused before
 * the password is even checked.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  async assertAllowed(tenantSlug: string, email: string, ip: string): Promise<void> {
    const [account, address] = this.keys(tenantSlug, email, ip);
    const [[, accountCount], [, addressCount], [, accountTtl], [, addressTtl]] = (await this.redis
      .multi()
      .get(account)
      .get(address)
      .ttl(account)
      .ttl(address)
      .exec()) as [unknown, string | null][] & [unknown, number][];
    if (Number(accountCount ?? 0) >= this.config.loginMaxFailures) {
      throw new TooManyLoginAttempts(Math.max(1, Number(accountTtl)));
    }
    if (Number(addressCount ?? 0) >= this.config.loginMaxFailuresPerIp) {
      throw new TooManyLoginAttempts(Math.max(1, Number(addressTtl)));
    }
  }

  async recordFailure(tenantSlug: string, email: string, ip: string): Promise<void> {
    const window = this.config.loginFailureWindowSeconds;
    const multi = this.redis.multi();
    for (const key of this.keys(tenantSlug, email, ip)) multi.incr(key).expire(key, window, 'NX');
    await multi.exec();
  }

  async recordSuccess(tenantSlug: string, email: string): Promise<void> {
    const [account] = this.keys(tenantSlug, email, '');
    await this.redis.del(account);
  }

  private keys(tenantSlug: string, email: string, ip: string): [string, string] {
    // Hashed: Redis holds no email addresses.
    const subject = createHash('sha256').update(`${tenantSlug}\n${email}`).digest('base64url');
    return [this.redis.key('login-fail', 'account', subject), this.redis.key('login-fail', 'ip', ip)];
  }
}
