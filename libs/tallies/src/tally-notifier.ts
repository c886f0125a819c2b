import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { RedisService } from '#anpi/redis';
import { JobName, QueueName } from '#anpi/queue';

export interface RefreshTallyJobData {
  tenantId: string;
  broadcastId: string;
}

// Answers and deliveries arrive by the thousand a second; the tally is recomputed at most once
// in this window, shortly after the first change, so a dashboard sees it within a second.
const COALESCE_MS = 500;

/** Says "this broadcast's numbers changed"; the worker recomputes and announces the tally. */
@Injectable()
export class TallyNotifier {
  constructor(
    private readonly redis: RedisService,
    @InjectQueue(QueueName.Tallies) private readonly queue: Queue,
  ) {}

  async changed(tenantId: string, broadcastId: string): Promise<void> {
    const first = await this.redis.set(this.redis.key('tally-scheduled', broadcastId), '1', 'PX', COALESCE_MS, 'NX');
    if (first !== 'OK') return;
    const data: RefreshTallyJobData = { tenantId, broadcastId };
    await this.queue.add(JobName.RefreshTally, data, { delay: COALESCE_MS, removeOnComplete: true, removeOnFail: 100, attempts: 3 });
  }
}
