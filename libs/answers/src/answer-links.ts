import { Injectable } from '@nestjs/common';
import { AnswerTokenSigner } from '#anpi/alerts';
import { TenantDb, fromJsonRow, type Broadcast, type Recipient, type Sql, type TenantId } from '#anpi/db';
import { BroadcastContentCache, FIXED_BROADCAST_COLUMNS } from './broadcast-content-cache.js';

export interface AnswerContext {
  tenantId: TenantId;
  broadcast: Broadcast;
  recipient: Recipient;
}

/**
 * From an answer link to its broadcast and recipient. The token says which broadcast and
 * recipient; one SECURITY DEFINER lookup (in the statement that opens the transaction) says which
 * tenant they belong to; the rest is read and written under that tenant's row-level policy. Any
 * failure is the same `null`: the page never tells whether a link ever existed.
 */
@Injectable()
export class AnswerLinks {
  constructor(
    private readonly signer: AnswerTokenSigner,
    private readonly db: TenantDb,
    private readonly contents: BroadcastContentCache,
  ) {}

  /**
   * Whether the link was made by us (its MAC checks out), expired or not. Only links that fail this
   * can be guesses; the others are never slowed down.
   */
  authentic(token: string): boolean {
    const check = this.signer.verify(token);
    return check.ok || check.reason === 'expired';
  }

  async resolve(token: string): Promise<AnswerContext | null> {
    return this.open(token, async (ctx) => ctx);
  }

  /**
   * Resolves the link and runs `work` in the same unit of work (one pool checkout, one
   * transaction): this runs for every tap on a link during a disaster.
   */
  async open<T>(token: string, work: (ctx: AnswerContext, sql: Sql) => Promise<T>): Promise<T | null> {
    const check = this.signer.verify(token);
    if (!check.ok) return null;
    const { broadcastId, recipientId } = check;
    const cached = this.contents.get(broadcastId);
    // Written into the statement that opens the transaction (no parameters there): both ids come
    // out of a verified token as formatted bytes, and TenantDb checks them to be UUIDs.
    const read = `SELECT to_jsonb(r) AS r, to_jsonb(b)${cached ? ` - '{${FIXED_BROADCAST_COLUMNS.join(',')}}'::text[]` : ''} AS b
      FROM broadcasts b JOIN recipients r ON r.broadcast_id = b.id AND r.tenant_id = b.tenant_id
      WHERE b.id = '${broadcastId}'::uuid AND b.tenant_id = anpi_current_tenant() AND r.id = '${recipientId}'::uuid`;
    const found = await this.db.sqlForAnswerLink(broadcastId, recipientId, read, async (sql, tenantId, rows) => {
      const row = rows[0] as { b: Record<string, unknown>; r: Record<string, unknown> } | undefined;
      if (!row) return { found: false as const };
      const broadcast = cached ? { ...cached, ...fromJsonRow<Partial<Broadcast>>(row.b) } : fromJsonRow<Broadcast>(row.b);
      if (!cached) this.contents.set(broadcast);
      const ctx: AnswerContext = { tenantId, broadcast, recipient: fromJsonRow<Recipient>(row.r) };
      return { found: true as const, value: await work(ctx, sql) };
    });
    return found?.found ? found.value : null;
  }
}
