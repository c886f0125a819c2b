import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '#anpi/config';

/** The process's Redis connection for counters and pub/sub (BullMQ keeps its own connections). */
@Injectable()
export class RedisService extends Redis implements OnApplicationShutdown {
  readonly prefix: string;
  private readonly logger = new Logger('Redis');

  constructor(config: AppConfig) {
    super(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    this.prefix = config.redisPrefix;
    // ioredis reconnects by itself; without a listener it prints each drop as "Unhandled error".
    this.on('error', (error: Error) => this.logger.warn({ msg: 'redis connection error', err: error.message }));
  }

  /** A key in this deployment's namespace. */
  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  // The last shutdown phase, after queue workers have finished their jobs.
  async onApplicationShutdown(): Promise<void> {
    await this.quit().catch(() => this.disconnect());
  }
}
