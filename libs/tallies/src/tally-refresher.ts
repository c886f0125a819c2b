import { Injectable } from '@nestjs/common';
import { TenantDb, asTenantId } from '#anpi/db';
import type { Job } from 'bullmq';
import { Metrics } from '#anpi/metrics';
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
    private readonly metrics: Metrics,
  ) {}

  @JobHandler(JobName.RefreshTally)
  async refresh(data: RefreshTallyJobData, job?: Job): Promise<{ answered: number }> {
    const tenantId = asTenantId(data.tenantId);
    const started = performance.now();
    const tally = await this.db.run(tenantId, (tx) => this.tally.compute(tx, tenantId, data.broadcastId), { timeout: 60_000 });
    await this.notifier.recordCost(data.broadcastId, performance.now() - started);
    await this.cache.put(tenantId, tally);
    // The refresh job is added at the first change after the last refresh: its age is the lag.
    if (job?.timestamp) this.metrics.tallyLag.observe((Date.now() - job.timestamp) / 1000);
    return { answered: tally.total.answered };
  }
}
