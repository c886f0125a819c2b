import { Injectable } from '@nestjs/common';
import { TenantDb, asTenantId } from '#anpi/db';
import { JobHandler, JobName } from '#anpi/queue';
import type { RefreshTallyJobData } from './tally-notifier.js';
import { DepartmentTally } from './department-tally.js';
import { TallyCache } from './tally-cache.js';
import { TallyNotifier } from './tally-notifier.js';

/** Worker side: recompute a broadcast's tally and announce it. */
@Injectable()
export class TallyRefresher {
  constructor(
    private readonly db: TenantDb,
    private readonly tally: DepartmentTally,
    private readonly cache: TallyCache,
    private readonly notifier: TallyNotifier,
  ) {}

  @JobHandler(JobName.RefreshTally)
  async refresh(data: RefreshTallyJobData): Promise<{ answered: number }> {
    const tenantId = asTenantId(data.tenantId);
    const started = performance.now();
    const tally = await this.db.run(tenantId, (tx) => this.tally.compute(tx, tenantId, data.broadcastId), { timeout: 60_000 });
    await this.notifier.recordCost(data.broadcastId, performance.now() - started);
    await this.cache.put(tenantId, tally);
    return { answered: tally.total.answered };
  }
}
