import { Injectable, Logger } from '@nestjs/common';
import { PlatformDb, TenantDb, asTenantId } from '#anpi/db';
import { JobHandler, JobName } from '#anpi/queue';
import { RefreshTokenStore } from './refresh-token-store.js';

/** Daily housekeeping of refresh tokens, tenant by tenant (each under its own row-level policy). */
@Injectable()
export class SessionMaintenance {
  private readonly logger = new Logger(SessionMaintenance.name);

  constructor(
    private readonly platform: PlatformDb,
    private readonly db: TenantDb,
    private readonly refreshTokens: RefreshTokenStore,
  ) {}

  @JobHandler(JobName.PurgeExpiredRefreshTokens)
  async purgeExpiredRefreshTokens(): Promise<{ tenants: number; purged: number }> {
    const tenants = await this.platform.run((tx) => tx.tenant.findMany({ select: { id: true } }));
    let purged = 0;
    for (const { id } of tenants) {
      const tenantId = asTenantId(id);
      const count = await this.db.run(tenantId, (tx) => this.refreshTokens.purgeExpired(tx, tenantId));
      if (count > 0) this.logger.log({ msg: 'expired refresh tokens purged', tenantId, count });
      purged += count;
    }
    return { tenants: tenants.length, purged };
  }
}
