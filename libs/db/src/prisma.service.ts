import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { AppConfig } from '#anpi/config';
import { PrismaClient } from './generated/prisma/client.js';

/**
 * The application's connection pool, as the `anpi_app` role: row-level security applies to every
 * query. Domain code does not use it directly; it goes through TenantDb or PlatformDb.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(config: AppConfig) {
    super({
      adapter: new PrismaPg({
        connectionString: config.databaseAppUrl,
        max: config.databasePoolSize,
        application_name: 'anpi',
      }),
    });
  }

  // The last shutdown phase: queue workers finish their jobs in an earlier one, and need the pool.
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
