import { Processor } from '@nestjs/bullmq';
import { QueueName } from '#anpi/queue';
import { DispatchingProcessor } from './dispatching-processor.js';

/** Housekeeping, one job at a time. */
@Processor(QueueName.Maintenance)
export class MaintenanceProcessor extends DispatchingProcessor {
  protected override concurrency(): number {
    return 1;
  }
}
