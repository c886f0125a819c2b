import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '#anpi/config';
import { TooManyRequestsError } from '#anpi/errors';
import { RedisService } from '#anpi/redis';

export class TooManyLoginAttempts extends TooManyRequestsError {
  constructor(readonly retryAfterSeconds: number) {
    super('login_throttled', `Too many failed logins from this address. Try again in ${retryAfterSeconds} seconds.`, retryAfterSeconds);
  }
}

/** What a login attempt may do: go ahead, go ahead after a pause (the account is under attack elsewhere). */
export interface LoginAdmission {
  delayMs: number;
}

/** A limit a failure has just reached: worth one audit entry per window. */
export type ThrottleEvent = { scope: 'account_address' | 'address'; retryAfterSeconds: number } | { scope: 'account'; slowdownMs: number };

/**
 * Brute force kept out without handing strangers a way to lock the owner out (the policy is in the
 * docs/api-guide.md, "Accounts, roles and tokens"). Failures are counted in Redis, shared by every api process,
 * per (account, address), per address, and per account:
 * - an address that failed LOGIN_MAX_FAILURES times for an account is refused for that account;
 * - an address that failed LOGIN_MAX_FAILURES_PER_IP times is refused for every account;
 * - an account that failed LOGIN_MAX_FAILURES times across addresses is never refused from other
 *   addresses, only slowed (LOGIN_SLOWDOWN_MS before the password is checked), so an HR admin whose
 *   email and company code are known can still log in to launch an alert.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  async admit(tenantSlug: string, email: string, ip: string): Promise<LoginAdmission> {
    const keys = this.keys(tenantSlug, email, ip);
    const multi = this.redis.multi();
    for (const key of [keys.pair, keys.address, keys.account]) multi.get(key).ttl(key);
    const replies = ((await multi.exec()) ?? []).map(([, value]) => value);
    const [pairCount, pairTtl, addressCount, addressTtl, accountCount] = replies.map((v) => Number(v ?? 0));
    if (pairCount! >= this.config.loginMaxFailures) throw new TooManyLoginAttempts(Math.max(1, pairTtl!));
    if (addressCount! >= this.config.loginMaxFailuresPerIp) throw new TooManyLoginAttempts(Math.max(1, addressTtl!));
    return { delayMs: accountCount! >= this.config.loginMaxFailures ? this.config.loginSlowdownMs : 0 };
  }

  /** Counts a failure; returns the limits it just reached (each once per window). */
  async recordFailure(tenantSlug: string, email: string, ip: string): Promise<ThrottleEvent[]> {
    const window = this.config.loginFailureWindowSeconds;
    const keys = this.keys(tenantSlug, email, ip);
    const multi = this.redis.multi();
    for (const key of [keys.pair, keys.address, keys.account]) multi.incr(key).expire(key, window, 'NX');
    const replies = ((await multi.exec()) ?? []).map(([, value]) => value);
    const [pair, address, account] = [Number(replies[0]), Number(replies[2]), Number(replies[4])];
    const events: ThrottleEvent[] = [];
    if (pair === this.config.loginMaxFailures) events.push({ scope: 'account_address', retryAfterSeconds: window });
    if (address === this.config.loginMaxFailuresPerIp) events.push({ scope: 'address', retryAfterSeconds: window });
    if (account === this.config.loginMaxFailures) events.push({ scope: 'account', slowdownMs: this.config.loginSlowdownMs });
    return events;
  }

  /**
   * The right password from this address: its own failures are forgiven. The account's count
   * stays, so an attack elsewhere is still slowed.
   */
  async recordSuccess(tenantSlug: string, email: string, ip: string): Promise<void> {
    await this.redis.del(this.keys(tenantSlug, email, ip).pair);
  }

  private keys(tenantSlug: string, email: string, ip: string) {
    // Hashed: Redis holds no email addresses.
    const subject = createHash('sha256').update(`${tenantSlug}\n${email}`).digest('base64url');
    return {
      pair: this.redis.key('login-fail', 'pair', subject, ip),
      address: this.redis.key('login-fail', 'ip', ip),
      account: this.redis.key('login-fail', 'account', subject),
    };
  }
}
