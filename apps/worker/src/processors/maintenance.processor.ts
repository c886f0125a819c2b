import { Processor } from '@nestjs/bullmq';
import { QueueName } from '#anpi/queue';
import { DispatchingProcessor } from './dispatching-processor.js';
import { PLAIN_WORKER } from './worker-tuning.js';

/** Housekeeping, one job at a time. */
@Processor(QueueName.Maintenance, PLAIN_WORKER)
export class MaintenanceProcessor extends DispatchingProcessor {
  protected override concurrency(): number {
    return 1;
  }
}
