import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PrismaService } from '#anpi/db';
import { Metrics } from './metrics.js';

/** The PostgreSQL pool, read at each scrape: connections in use, idle, and callers waiting for one. */
@Injectable()
export class PoolMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly prisma: PrismaService,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge('anpi_db_pool_connections', 'PostgreSQL pool connections by state (in_use, idle, waiting)', ['state'] as const, (set) => {
      const pool = this.prisma.pool;
      set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
      set({ state: 'idle' }, pool.idleCount);
      set({ state: 'waiting' }, pool.waitingCount);
    });
  }
}
