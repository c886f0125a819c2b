import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { Metrics } from '#anpi/metrics';
import { AppConfig } from '#anpi/config';
import { GracefulWorkerHost, JobRegistry } from '#anpi/queue';

/**
 * A queue's processor: hands each job to its registered handler. Errors propagate, so BullMQ
 * retries the attempt. Subclasses name their queue and say how many of its jobs run at once.
 */
@Injectable()
export abstract class DispatchingProcessor extends GracefulWorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly registry: JobRegistry,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    super();
  }

  /** How many jobs of this queue run at once (1 keeps a queue serial), from the queue's own setting. */
  protected abstract concurrency(config: AppConfig): number;

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.concurrency(this.config);
  }

  async process(job: Job): Promise<unknown> {
    const started = performance.now();
    let outcome = 'ok';
    try {
      return await this.registry.dispatch(job);
    } catch (error) {
      outcome = error instanceof DelayedError ? 'delayed' : 'error';
      throw error;
    } finally {
      this.metrics.jobDuration.observe({ queue: job.queueName, job: job.name, outcome }, (performance.now() - started) / 1000);
    }
  }
}
