import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { Metrics } from '#anpi/metrics';
import { ALL_QUEUES } from '#anpi/queue';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized'] as const;

/** Every queue's jobs by state, read from Redis when Prometheus scrapes the worker. */
@Injectable()
export class QueueMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly modules: ModuleRef,
  ) {}

  onModuleInit(): void {
    const queues = ALL_QUEUES.map((name) => this.modules.get<Queue>(getQueueToken(name), { strict: false }));
    this.metrics.gauge('anpi_queue_jobs', 'BullMQ jobs by queue and state', ['queue', 'state'] as const, async (set) => {
      for (const queue of queues) {
        const counts = await queue.getJobCounts(...STATES);
        for (const state of STATES) set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    });
  }
}
