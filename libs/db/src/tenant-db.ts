import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { Prisma } from './generated/prisma/client.js';
import { PrismaService } from './prisma.service.js';
import { isUuid, type TenantId } from './tenant-id.js';

export type Tx = Prisma.TransactionClient;

/** A parameterised statement ($1, $2, … placeholders) inside a unit of work; returns its rows. */
export type Sql = <R = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<R[]>;

/** The same statements through a Prisma transaction, for work that mixes both. */
export function sqlOf(tx: Tx): Sql {
  return <R>(text: string, values: unknown[] = []) => tx.$queryRawUnsafe<R[]>(text, ...values);
}

export interface UnitOfWorkOptions {
  /** Milliseconds the work may take before Prisma rolls it back (default 10 s). */
  timeout?: number;
  isolationLevel?: Prisma.TransactionIsolationLevel;
}

/**
 * For a page and its total: every statement of the unit of work reads one snapshot. Under READ
 * COMMITTED each statement reads its own, so a row committed between the page's query and its
 * count was counted and not listed (a total of 1 beside no items). For work that only reads: a
 * write under REPEATABLE READ can fail on a concurrent update.
 */
export const ONE_SNAPSHOT: UnitOfWorkOptions = { isolationLevel: 'RepeatableRead' };

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

  /**
   * The same unit of work for the hottest paths (answer links, answers), straight on the pg pool:
   * Prisma's interactive transactions and per-call query compilation cost several times the
   * database work there. Parameterised SQL only; the tenant is set the same way, so row-level
   * security holds just the same. `firstRead` (a statement without parameters, already under the
   * tenant's policies) runs in the round trip that opens the transaction; its rows are handed over.
   */
  async sql<T>(tenantId: TenantId, work: (sql: Sql, firstRows: Record<string, unknown>[]) => Promise<T>, options: { firstRead?: string } = {}): Promise<T> {
    return this.unitOfWork(`${inTenant(tenantId)}${options.firstRead ? `; ${options.firstRead}` : ''}`, ({ client, rows }) => work(sqlOn(client), rows));
  }

  /**
   * A unit of work in a tenant found by `tenantLookup` (an SQL expression giving the tenant id as
   * text, or NULL: a SECURITY DEFINER function call, built by the caller from checked values),
   * with `firstRead` run in the round trip that opens the transaction. `null`, nothing run, when
   * the lookup finds no tenant.
   */
  async sqlInLookedUpTenant<T>(
    tenantLookup: string,
    firstRead: string,
    work: (sql: Sql, tenantId: TenantId, firstRows: Record<string, unknown>[]) => Promise<T>,
  ): Promise<T | null> {
    return this.unitOfWork(`${lookedUpTenant(tenantLookup)}; ${firstRead}`, ({ setting, client, rows }) =>
      setting && isUuid(setting) ? work(sqlOn(client), setting as TenantId, rows) : Promise.resolve(null),
    );
  }

  /**
   * One statement (a read, perhaps with a data-modifying CTE, without parameters) as a whole
   * transaction sent in one round trip — tenant, statement and COMMIT in one simple query — in a
   * tenant known beforehand or found by `lookup` (as above). `null` when the lookup finds none.
   */
  async once(tenant: TenantId | { lookup: string }, statement: string): Promise<{ tenantId: TenantId; rows: Record<string, unknown>[] } | null> {
    const open = typeof tenant === 'string' ? inTenant(tenant) : lookedUpTenant(tenant.lookup);
    const { setting, rows } = await this.onceIn(open, statement);
    return setting && isUuid(setting) ? { tenantId: setting as TenantId, rows } : null;
  }

  private async onceIn(open: string, statement: string): Promise<{ setting: string; rows: Record<string, unknown>[] }> {
    const client = await this.prisma.pool.connect();
    let broken: Error | undefined;
    try {
      const results = (await client.query(`${open}; ${statement}; COMMIT`)) as unknown as { rows: Record<string, unknown>[] }[];
      return { setting: String(Object.values(results[1]?.rows[0] ?? {})[0] ?? ''), rows: results[2]?.rows ?? [] };
    } catch (error) {
      // A statement that failed leaves the transaction aborted: rolled back before the connection is reused.
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private unitOfWork<T>(open: string, work: (opened: { setting: string; client: PoolClient; rows: Record<string, unknown>[] }) => Promise<T>): Promise<T> {
    return unitOfWorkOn(this.prisma.pool, open, work);
  }
}

/**
 * Opens a transaction with `open` (simple-query protocol: `BEGIN; SELECT set_config(…)` and
 * perhaps a read), runs `work` with the set_config value and the read's rows, commits.
 */
async function unitOfWorkOn<T>(
  pool: Pool,
  open: string,
  work: (opened: { setting: string; client: PoolClient; rows: Record<string, unknown>[] }) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const results = (await client.query(open)) as unknown as { rows: Record<string, unknown>[] }[];
    const setting = String(Object.values(results[1]?.rows[0] ?? {})[0] ?? '');
    const result = await work({ setting, client, rows: results[2]?.rows ?? [] });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is dropped from the pool, not reused.
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Opens a transaction in a tenant known beforehand. Simple-query protocol, so no parameters: the
 * id is checked to be a UUID here before it is written into the statement.
 */
function inTenant(tenantId: TenantId): string {
  if (!isUuid(tenantId)) throw new TypeError('tenant id must be a UUID');
  return `BEGIN; SELECT set_config('app.tenant_id', '${tenantId}', true)`;
}

/** Opens a transaction in the tenant `lookup` finds (empty, so matching no row, when none). */
function lookedUpTenant(lookup: string): string {
  return `BEGIN; SELECT set_config('app.tenant_id', coalesce((${lookup})::text, ''), true)`;
}

function sqlOn(client: PoolClient): Sql {
  return async <R>(text: string, values: unknown[] = []) => (await client.query(text, values)).rows as R[];
}

/**
 * The platform operator's context: it may manage the `tenants` table and sees no row inside any
 * tenant.
 */
@Injectable()
export class PlatformDb {
  constructor(private readonly prisma: PrismaService) {}

  run<T>(work: (tx: Tx) => Promise<T>, options: UnitOfWorkOptions = {}): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT set_config('app.platform', 'on', true)`;
        return work(tx);
      },
      { timeout: options.timeout ?? 10_000, maxWait: 5_000, isolationLevel: options.isolationLevel },
    );
  }

  /**
   * A platform unit of work straight on the pg pool (see TenantDb.sql): for the webhook intake,
   * which LINE floods with requests on the day of an earthquake. `first` (a statement without
   * parameters, its values written in as literals) runs in the round trip that opens the
   * transaction; its rows are handed over.
   */
  sql<T>(work: (sql: Sql, firstRows: Record<string, unknown>[]) => Promise<T>, options: { first?: string } = {}): Promise<T> {
    const open = `BEGIN; SELECT set_config('app.platform', 'on', true)${options.first ? `; ${options.first}` : ''}`;
    return unitOfWorkOn(this.prisma.pool, open, ({ client, rows }) => work(sqlOn(client), rows));
  }

  /**
   * Within a platform unit of work, also opens one tenant, so that what the operator did to it is
   * written to that tenant's audit log in the same transaction.
   */
  async enterTenant(tx: Tx, tenantId: TenantId): Promise<void> {
    await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
  }
}
