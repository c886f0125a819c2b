import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JobName, QueueName, queueCoalesced } from '#anpi/queue';
import { RedisService } from '#anpi/redis';
import { billingMonthOf } from '../billing-month.js';

/** Time a tenant's sends are gathered into one threshold check. */
const WINDOW_MS = 2_000;

export interface CheckUsageJobData {
  tenantId: string;
  month: string;
}

/**
 * Told after a send recorded billable units. Schedules one threshold check per tenant and window
 * (see queueCoalesced). It never
 * throws: billing must never hold up an alert, and the daily check catches what a lost one missed.
 */
@Injectable()
export class UsageWatch {
  private readonly logger = new Logger(UsageWatch.name);

  constructor(
    private readonly redis: RedisService,
    @InjectQueue(QueueName.Billing) private readonly queue: Queue,
  ) {}

  async recorded(tenantId: string, at = new Date()): Promise<void> {
    const month = billingMonthOf(at);
    try {
      const data: CheckUsageJobData = { tenantId, month };
      await queueCoalesced(this.redis, this.queue, {
        key: this.redis.key('usage-check', tenantId, month),
        windowMs: WINDOW_MS,
        name: JobName.CheckUsageThresholds,
        data,
      });
    } catch (error) {
      this.logger.warn({ msg: 'usage threshold check not scheduled', tenantId, err: (error as Error).message });
    }
  }
}
