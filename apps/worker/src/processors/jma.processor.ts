import { Processor } from '@nestjs/bullmq';
import { QueueName } from '#anpi/queue';
import { DispatchingProcessor } from './dispatching-processor.js';
import { PLAIN_WORKER } from './worker-tuning.js';

/**
 * JMA telegrams: the feed poll (one at a time across the cluster: its own lock) and the
 * evaluation of each telegram, a few at once so a poll never waits behind a long evaluation.
 */
@Processor(QueueName.Jma, PLAIN_WORKER)
export class JmaProcessor extends DispatchingProcessor {
  protected override concurrency(): number {
    return 4;
  }
}
