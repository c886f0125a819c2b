import { Injectable } from '@nestjs/common';
import type { Prisma } from './generated/prisma/client.js';
import { PrismaService } from './prisma.service.js';
import type { TenantId } from './tenant-id.js';

export type Tx = Prisma.TransactionClient;

export interface UnitOfWorkOptions {
  /** Milliseconds the work may take before Prisma rolls it back (default 10 s). */
  timeout?: number;
  isolationLevel?: Prisma.TransactionIsolationLevel;
}

/**
 * Runs data access inside one tenant. Each unit of work is a transaction that first sets
 * `app.tenant_id`; the database's policies then hide every other tenant's rows, even from a query
 * that forgets its `where tenantId`.
 */
@Injectable()
export class TenantDb {
  constructor(private readonly prisma: PrismaService) {}

  run<T>(tenantId: TenantId, work: (tx: Tx) => Promise<T>, options: UnitOfWorkOptions = {}): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
        return work(tx);
      },
      { timeout: options.timeout ?? 10_000, maxWait: 5_000, isolationLevel: options.isolationLevel },
    );
  }
}

/**
 * The platform operator's context: it may manage the `tenants` table and sees no row inside any
 * tenant.
 */
@Injectable()
export class PlatformDb {
  constructor(private readonly prisma: PrismaService) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT set_config('app.platform', 'on', true)`;
        return work(tx);
      },
      { timeout: 10_000, maxWait: 5_000 },
    );
  }

  /**
   * Within a platform unit of work, also opens one tenant, so that what the operator did to it is
   * written to that tenant's audit log in the same transaction.
   */
  async enterTenant(tx: Tx, tenantId: TenantId): Promise<void> {
    await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
  }
}
