import { Injectable } from '@nestjs/common';
import { AnswerTokenSigner } from '#anpi/alerts';
import { TenantDb, fromJsonRow, type Broadcast, type Recipient, type Sql, type TenantId } from '#anpi/db';
import { BroadcastContentCache, FIXED_BROADCAST_COLUMNS } from './broadcast-content-cache.js';

export interface AnswerContext {
  tenantId: TenantId;
  broadcast: Broadcast;
  recipient: Recipient;
}

export type LinkOutcome<T> = { kind: 'found'; value: T } | { kind: 'unknown' } | { kind: 'forged' };

export type ValidLink = { kind: 'valid'; broadcastId: string; recipientId: string };
export type LinkCheck = ValidLink | { kind: 'unknown' } | { kind: 'forged' };

const UNKNOWN = { kind: 'unknown' } as const;
const FORGED = { kind: 'forged' } as const;

/**
 * From an answer link to its broadcast and recipient. The token says which broadcast and
 * recipient; one SECURITY DEFINER lookup (in the statement that opens the transaction) says which
 * tenant they belong to; the rest is read and written under that tenant's row-level policy. Any
 * link that leads nowhere looks the same to the employee: the page never tells whether it ever
 * existed.
 */
@Injectable()
export class AnswerLinks {
  constructor(
    private readonly signer: AnswerTokenSigner,
    private readonly db: TenantDb,
    private readonly contents: BroadcastContentCache,
  ) {}

  /** The token alone (no database): which broadcast and recipient it names, if it is ours and live. */
  check(token: string): LinkCheck {
    const check = this.signer.verify(token);
    if (!check.ok) return check.reason === 'expired' ? UNKNOWN : FORGED;
    return { kind: 'valid', broadcastId: check.broadcastId, recipientId: check.recipientId };
  }

  /** The broadcast's content, if this process read it lately (its tenant with it). */
  cachedContent(broadcastId: string): Broadcast | undefined {
    return this.contents.get(broadcastId);
  }

  /**
   * Resolves the link and runs `work` in the same unit of work (one pool checkout, one
   * transaction): this runs for every tap on a link during a disaster. `forged`: the MAC does not
   * check out (only such links can be guesses); `unknown`: made by us, but expired or leading to
   * no recipient.
   */
  async open<T>(token: string, work: (ctx: AnswerContext, sql: Sql) => Promise<T>): Promise<LinkOutcome<T>> {
    const link = this.check(token);
    return link.kind === 'valid' ? this.openChecked(link, work) : link;
  }

  /** `open` for a link already checked. */
  async openChecked<T>(link: ValidLink, work: (ctx: AnswerContext, sql: Sql) => Promise<T>): Promise<LinkOutcome<T>> {
    const { broadcastId, recipientId } = link;
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
    return found?.found ? { kind: 'found', value: found.value } : UNKNOWN;
  }
}
