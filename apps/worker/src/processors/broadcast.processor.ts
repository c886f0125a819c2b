import { Processor } from '@nestjs/bullmq';
import type { AppConfig } from '#anpi/config';
import { QueueName } from '#anpi/queue';
import { DispatchingProcessor } from './dispatching-processor.js';
import { PLAIN_WORKER } from './worker-tuning.js';

/** Launch jobs (resolve recipients, queue the sends) and follow-ups (reminders, escalation). */
@Processor(QueueName.Broadcasts, PLAIN_WORKER)
export class BroadcastProcessor extends DispatchingProcessor {
  protected override concurrency(config: AppConfig): number {
    return config.queue.concurrency.broadcasts;
  }
}
