import { Processor } from '@nestjs/bullmq';
import type { AppConfig } from '#anpi/config';
import { QueueName } from '#anpi/queue';
import { DispatchingProcessor } from './dispatching-processor.js';
import { PLAIN_WORKER } from './worker-tuning.js';

/** Tally recomputations: small, frequent, one broadcast at a time each. */
@Processor(QueueName.Tallies, PLAIN_WORKER)
export class TallyProcessor extends DispatchingProcessor {
  protected override concurrency(config: AppConfig): number {
    return config.queue.concurrency.tallies;
  }
}
