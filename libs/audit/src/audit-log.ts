import { Injectable } from '@nestjs/common';
import { Prisma, TenantDb, type TenantId, type Tx } from '#anpi/db';
import type { Actor } from './actor.js';
import { AuditEntryView, AuditPage, type AuditLogQuery } from './dto/audit-log.dto.js';
import { InvalidInputError } from '#anpi/errors';

export interface AuditRecord {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  /** Ids, counts and names of changed fields: never personal data, tokens or secrets. */
  details?: Record<string, unknown>;
}

/**
 * The tenant's append-only record of who did what to which resource. Entries are written inside
 * the transaction of the change they describe, so a change is never without its entry.
 */
@Injectable()
export class AuditLog {
  constructor(private readonly db: TenantDb) {}

  async record(tx: Tx, tenantId: TenantId, actor: Actor, entry: AuditRecord): Promise<void> {
    await tx.auditEntry.create({
      data: {
        tenantId,
        actorType: actor.type,
        actorId: actor.id,
        requestId: actor.requestId ?? null,
        action: entry.action,
        resourceType: entry.resourceType,
        resourceId: entry.resourceId ?? null,
        details: (entry.details as Prisma.InputJsonValue | undefined) ?? Prisma.DbNull,
      },
    });
  }

  async list(tenantId: TenantId, query: AuditLogQuery): Promise<AuditPage> {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const rows = await this.db.run(tenantId, (tx) =>
      tx.auditEntry.findMany({
        where: {
          tenantId,
          action: query.action,
          resourceType: query.resourceType,
          resourceId: query.resourceId,
          actorId: query.actorId,
          occurredAt: { gte: query.since, lt: query.until },
          ...(after && {
            OR: [{ occurredAt: { lt: after.at } }, { occurredAt: after.at, id: { lt: after.id } }],
          }),
        },
        orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
      }),
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(AuditEntryView.from),
      nextCursor: rows.length > limit && last ? encodeCursor(last.occurredAt, last.id) : null,
    };
  }
}

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (Number.isNaN(date.getTime()) || typeof id !== 'string') throw new Error();
    return { at: date, id };
  } catch {
    const reason = 'cursor is not one this API returned';
    throw InvalidInputError.field('cursor', reason);
  }
}
