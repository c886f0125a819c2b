import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '#anpi/config';
import { RedisService } from '#anpi/redis';
import { ProviderThrottledError } from '../delivery-errors.js';
import type { EmailAccount, EmailRoute } from './email-provider.js';

export type EmailRole = 'primary' | 'probe' | 'secondary';

/**
 * Failover between a route's two email accounts, shared by every worker through Redis. After
 * EMAIL_FAILOVER_THRESHOLD failed requests in a row on the primary (timeouts, 5xx, refused
 * credentials; not throttling), batches go to the secondary for EMAIL_FAILOVER_COOLDOWN_SECONDS;
 * then one batch at a time probes the primary, and its success brings everything back to it.
 */
@Injectable()
export class EmailFailover {
  private readonly logger = new Logger('EmailFailover');

  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  /** The account that takes the next batch, and in which role. */
  async choose(route: EmailRoute): Promise<{ account: EmailAccount; role: EmailRole }> {
    const primary = { account: route.primary, role: 'primary' as const };
    if (!route.secondary) return primary;
    const openUntil = Number((await this.redis.get(this.key(route.primary, 'open-until'))) ?? 0);
    if (!openUntil) return primary;
    if (Date.now() < openUntil) return { account: route.secondary, role: 'secondary' };
    const probeMs = this.config.delivery.providerTimeoutMs * 3;
    const probing = await this.redis.set(this.key(route.primary, 'probe'), '1', 'PX', probeMs, 'NX');
    return probing ? { account: route.primary, role: 'probe' } : { account: route.secondary, role: 'secondary' };
  }

  /**
   * A request on the primary failed; true when this failure turned the route over to the
   * secondary. Throttling (429) is the provider working as agreed, not failing: it counts for nothing.
   */
  async failed(route: EmailRoute, role: EmailRole, error: Error): Promise<boolean> {
    if (role === 'secondary' || !route.secondary || error instanceof ProviderThrottledError) return false;
    const reason = error.message;
    const { failoverThreshold, failoverCooldownMs } = this.config.email;
    const failures = role === 'probe' ? failoverThreshold : await this.redis.incr(this.key(route.primary, 'failures'));
    if (role === 'primary') await this.redis.pexpire(this.key(route.primary, 'failures'), 10 * 60_000);
    if (failures < failoverThreshold) return false;
    await this.redis
      .multi()
      .set(this.key(route.primary, 'open-until'), String(Date.now() + failoverCooldownMs), 'PX', failoverCooldownMs + 60 * 60_000)
      .del(this.key(route.primary, 'failures'), this.key(route.primary, 'probe'))
      .exec();
    this.logger.warn({
      msg: 'email failover',
      from: route.primary.kind,
      to: route.secondary.kind,
      account: accountLabel(route.primary),
      reason,
      probe: role === 'probe',
    });
    return true;
  }

  /** A request on the primary succeeded; true when it was the probe that brings the route back. */
  async succeeded(route: EmailRoute, role: EmailRole): Promise<boolean> {
    if (role === 'secondary' || !route.secondary) return false;
    if (role === 'primary') {
      await this.redis.del(this.key(route.primary, 'failures'));
      return false;
    }
    await this.redis.del(this.key(route.primary, 'open-until'), this.key(route.primary, 'failures'), this.key(route.primary, 'probe'));
    this.logger.log({ msg: 'email provider recovered', provider: route.primary.kind, account: accountLabel(route.primary) });
    return true;
  }

  private key(account: EmailAccount, what: string): string {
    return this.redis.key('email-failover', account.kind, account.key, what);
  }
}

/** "platform" or "tenant" (a tenant's id is in the log's own field where it matters). */
function accountLabel(account: EmailAccount): string {
  return account.key === 'platform' ? 'platform' : 'tenant';
}
