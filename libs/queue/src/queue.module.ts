import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '#anpi/config';
import { JobRegistry } from './job-registry.js';
import { ALL_QUEUES } from './jobs.js';

const queues = BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name })));

/** BullMQ on the configured Redis, with every queue registered (api and worker alike enqueue). */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // Workers block on Redis; BullMQ requires unlimited retries per request for them.
        connection: { url: config.redisUrl, maxRetriesPerRequest: null },
        prefix: `${config.redisPrefix}:bull`,
        defaultJobOptions: {
          attempts: 5,
          backoff: { type: 'exponential', delay: 1_000 },
          removeOnComplete: { age: 86_400, count: 10_000 },
          removeOnFail: { age: 7 * 86_400 },
        },
      }),
    }),
    queues,
  ],
  exports: [queues],
})
export class QueueModule {}

/** For the worker only: the registry that dispatches jobs to their handlers. */
@Module({ imports: [DiscoveryModule], providers: [JobRegistry], exports: [JobRegistry] })
export class JobRegistryModule {}
