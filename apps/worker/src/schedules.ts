import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JobName, QueueName } from '#anpi/queue';

/**
 * Repeating jobs. upsertJobScheduler is idempotent, so every worker may declare them at start-up
 * and there is still one schedule.
 */
@Injectable()
export class WorkerSchedules implements OnApplicationBootstrap {
  constructor(@InjectQueue(QueueName.Maintenance) private readonly maintenance: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.maintenance.upsertJobScheduler(
      'daily-refresh-token-purge',
      { pattern: '30 3 * * *', tz: 'Asia/Tokyo' },
      { name: JobName.PurgeExpiredRefreshTokens, data: {} },
    );
  }
}
