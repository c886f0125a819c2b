import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '#anpi/config';
import { JobName, QueueName } from '#anpi/queue';

/**
 * Repeating jobs. upsertJobScheduler is idempotent, so every worker may declare them at start-up
 * and there is still one schedule.
 */
@Injectable()
export class WorkerSchedules implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QueueName.Maintenance) private readonly maintenance: Queue,
    @InjectQueue(QueueName.Billing) private readonly billing: Queue,
    @InjectQueue(QueueName.Jma) private readonly jma: Queue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.maintenance.upsertJobScheduler(
      'daily-refresh-token-purge',
      { pattern: '30 3 * * *', tz: 'Asia/Tokyo' },
      { name: JobName.PurgeExpiredRefreshTokens, data: {} },
    );
    // 00:10 on the 1st in Tokyo closes the month that just ended (whatever the server's zone).
    await this.billing.upsertJobScheduler(
      'monthly-billing-close',
      { pattern: '10 0 1 * *', tz: 'Asia/Tokyo' },
      { name: JobName.CloseBillingMonth, data: {}, opts: { attempts: 10, backoff: { type: 'exponential', delay: 60_000 } } },
    );
    await this.billing.upsertJobScheduler(
      'daily-line-reconciliation',
      { pattern: '0 12 * * *', tz: 'Asia/Tokyo' },
      { name: JobName.ReconcileLineUsage, data: {} },
    );
    // JMA's feeds every JMA_POLL_SECONDS; 0 removes the schedule (a worker started with polling off
    // stops the one an earlier configuration left in Redis).
    if (this.config.jma.pollSeconds > 0)
      await this.jma.upsertJobScheduler(
        'jma-feed-poll',
        { every: this.config.jma.pollSeconds * 1000 },
        { name: JobName.PollJmaFeeds, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
      );
    else await this.jma.removeJobScheduler('jma-feed-poll');
  }
}
