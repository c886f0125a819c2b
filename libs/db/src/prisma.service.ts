import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { AppConfig } from '#anpi/config';
import { PrismaClient } from './generated/prisma/client.js';

/**
 * The application's connection pool, as the `anpi_app` role: row-level security applies to every
 * query. Domain code does not use it directly; it goes through TenantDb or PlatformDb. Prisma and
 * the raw-SQL units of work (TenantDb.sql) share the one pg pool.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  readonly pool: pg.Pool;
  private ended = false;

  constructor(config: AppConfig) {
    const pool = new pg.Pool({ connectionString: config.databaseAppUrl, max: config.databasePoolSize, application_name: 'anpi' });
    super({ adapter: new PrismaPg(pool) });
    this.pool = pool;
  }

  // The last shutdown phase: queue workers finish their jobs in an earlier one, and need the pool.
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    if (!this.ended) {
      this.ended = true;
      await this.pool.end();
    }
  }
}
