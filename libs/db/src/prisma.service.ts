import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
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
  private readonly logger = new Logger('Database');
  private ended = false;

  constructor(config: AppConfig) {
    const pool = new pg.Pool({ connectionString: config.databaseAppUrl, max: config.databasePoolSize, application_name: 'anpi' });
    super({ adapter: new PrismaPg(pool) });
    this.pool = pool;
    // When PostgreSQL goes away (restart, failover), each connection emits 'error': idle ones on
    // the pool, checked-out ones on the client itself, and an 'error' nobody listens to ends the
    // process. The failure already reaches whoever is using the connection (its query fails, and
    // the pool drops it); these listeners only keep the process alive to serve 503s and retry.
    pool.on('error', (error) => this.logger.warn({ msg: 'database connection lost', err: error.message }));
    pool.on('connect', (client) => client.on('error', () => undefined));
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
