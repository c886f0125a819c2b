import { WorkerHost } from '@nestjs/bullmq';
import type { OnModuleDestroy } from '@nestjs/common';

/**
 * A processor that stops taking jobs, and waits for its running ones, in the first shutdown phase,
 * while the database pool and Redis are still open (they close in the last phase). @nestjs/bullmq
 * on its own closes workers in the last phase, when a running job may already have lost its pool.
 */
export abstract class GracefulWorkerHost extends WorkerHost implements OnModuleDestroy {
  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
  }
}
