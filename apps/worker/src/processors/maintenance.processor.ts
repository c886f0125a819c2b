import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { GracefulWorkerHost, JobRegistry, QueueName } from '#anpi/queue';

/** Housekeeping jobs. Errors propagate: BullMQ retries the attempt. */
@Processor(QueueName.Maintenance, { concurrency: 1 })
export class MaintenanceProcessor extends GracefulWorkerHost {
  constructor(private readonly registry: JobRegistry) {
    super();
  }

  process(job: Job): Promise<unknown> {
    return this.registry.dispatch(job);
  }
}
