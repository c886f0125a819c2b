import { Processor } from '@nestjs/bullmq';
import { QueueName } from '#anpi/queue';
import { DispatchingProcessor } from './dispatching-processor.js';
import { PLAIN_WORKER } from './worker-tuning.js';

/** Month closes, usage threshold emails and LINE reconciliation: one at a time, off the alert path. */
@Processor(QueueName.Billing, PLAIN_WORKER)
export class BillingProcessor extends DispatchingProcessor {
  protected override concurrency(): number {
    return 1;
  }
}
