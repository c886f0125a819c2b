import { Injectable } from '@nestjs/common';
import { ChannelSettingsService, LineWorksChannel, ProviderRateLimiter, lineworksBucket, type LineWorksContent } from '#anpi/channels';
import { TenantDb, type TenantId } from '#anpi/db';

/**
 * Replies to a LINE WORKS user through the tenant's bot. A reply is a message send like an
 * alert's and counts against the same per-minute limit, so it takes a slot of the same bucket.
 * Errors propagate: BullMQ retries the event job (the answer itself is idempotent per event).
 */
@Injectable()
export class LineWorksReplier {
  constructor(
    private readonly db: TenantDb,
    private readonly settings: ChannelSettingsService,
    private readonly lineworks: LineWorksChannel,
    private readonly limiter: ProviderRateLimiter,
  ) {}

  async reply(tenantId: TenantId, userId: string, content: LineWorksContent): Promise<void> {
    const { lineworks: app } = await this.db.run(tenantId, (tx) => this.settings.resolve(tx, tenantId));
    if (!app) return;
    const [wait] = await this.limiter.reserveSpaced(lineworksBucket(app), app.ratePerMinute);
    if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
    await this.lineworks.send(app, userId, content);
  }
}
