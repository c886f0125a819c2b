import { Injectable } from '@nestjs/common';
import { AnswerTokenSigner } from '#anpi/alerts';
import { TenantDb, fromJsonRow, isUuid, type Broadcast, type Recipient, type Sql, type TenantId } from '#anpi/db';
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

interface ContextRow {
  r: Record<string, unknown>;
  b: Record<string, unknown>;
  first?: boolean;
}

/**
 * The recipient and its broadcast under the current tenant's policies (the columns fixed at launch
 * left out when cached). Written into statements sent without parameters: both ids come out of a
 * verified token as formatted bytes, and TenantDb checks them to be UUIDs before sending.
 */
function contextRead(broadcastId: string, recipientId: string, cached: boolean, extra = ''): string {
  return `SELECT to_jsonb(r) AS r, to_jsonb(b)${cached ? ` - '{${FIXED_BROADCAST_COLUMNS.join(',')}}'::text[]` : ''} AS b${extra}
      FROM broadcasts b JOIN recipients r ON r.broadcast_id = b.id AND r.tenant_id = b.tenant_id
      WHERE b.id = '${broadcastId}'::uuid AND b.tenant_id = anpi_current_tenant() AND r.id = '${recipientId}'::uuid`;
}
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

  /** The location check's answer, for a recipient it asked; the context as it is afterwards. */
  async setLocation(link: ValidLink, value: 'in_area' | 'outside'): Promise<LinkOutcome<AnswerContext>> {
    const { broadcastId, recipientId } = link;
    const statement = `WITH changed AS (
        UPDATE recipients SET location_check = '${value}'
        WHERE id = '${recipientId}'::uuid AND broadcast_id = '${broadcastId}'::uuid AND tenant_id = anpi_current_tenant() AND location_check IS NOT NULL
        RETURNING id
      )
      ${contextRead(broadcastId, recipientId, false, ', EXISTS (SELECT 1 FROM changed) AS first')}`;
    const found = await this.db.once({ lookup: answerLinkTenant(broadcastId, recipientId) }, statement);
    const row = found?.rows[0] as ContextRow | undefined;
    if (!found || !row) return UNKNOWN;
    const recipient = fromJsonRow<Recipient>(row.r);
    if (row.first) recipient.locationCheck = value;
    return { kind: 'found', value: { tenantId: found.tenantId, broadcast: fromJsonRow<Broadcast>(row.b), recipient } };
  }

  /**
   * An employee opens their checked link, alone: the context for the page, and the first opening
   * recorded, in one round trip (tenant lookup, one statement, COMMIT). Taps on links to a
   * broadcast this process knows go through PageViewGroup instead.
   */
  async view(link: ValidLink): Promise<LinkOutcome<{ ctx: AnswerContext; firstOpening: boolean }>> {
    const { broadcastId, recipientId } = link;
    const cached = this.contents.get(broadcastId);
    // The update's effect is not visible to the read beside it: the page shows the row as it was.
    const statement = `WITH opened AS (
        UPDATE recipients SET opened_at = now()
        WHERE id = '${recipientId}'::uuid AND broadcast_id = '${broadcastId}'::uuid AND tenant_id = anpi_current_tenant() AND opened_at IS NULL
        RETURNING id
      )
      ${contextRead(broadcastId, recipientId, !!cached, ', EXISTS (SELECT 1 FROM opened) AS first')}`;
    const found = await this.db.once({ lookup: answerLinkTenant(broadcastId, recipientId) }, statement);
    const row = found?.rows[0] as ContextRow | undefined;
    if (!found || !row) return UNKNOWN;
    return { kind: 'found', value: { ctx: this.context(found.tenantId, row, cached), firstOpening: row.first === true } };
  }

  /**
   * Resolves a checked link and runs `work` in the same unit of work (one pool checkout, one
   * transaction; the context read in the round trip that opens it). `unknown`: no recipient.
   */
  async openChecked<T>(link: ValidLink, work: (ctx: AnswerContext, sql: Sql) => Promise<T>): Promise<LinkOutcome<T>> {
    const { broadcastId, recipientId } = link;
    const cached = this.contents.get(broadcastId);
    const found = await this.db.sqlInLookedUpTenant(
      answerLinkTenant(broadcastId, recipientId),
      contextRead(broadcastId, recipientId, !!cached),
      async (sql, tenantId, rows) => {
        const row = rows[0] as unknown as ContextRow | undefined;
        return row ? { found: true as const, value: await work(this.context(tenantId, row, cached), sql) } : { found: false as const };
      },
    );
    return found?.found ? { kind: 'found', value: found.value } : UNKNOWN;
  }

  private context(tenantId: TenantId, row: ContextRow, cached: Broadcast | undefined): AnswerContext {
    const broadcast = cached ? { ...cached, ...fromJsonRow<Partial<Broadcast>>(row.b) } : fromJsonRow<Broadcast>(row.b);
    if (!cached) this.contents.set(broadcast);
    return { tenantId, broadcast, recipient: fromJsonRow<Recipient>(row.r) };
  }
}

/**
 * The tenant of an answer link's recipient, as TenantDb looks it up before any tenant is known
 * (the SECURITY DEFINER anpi_answer_tenant; NULL when the pair does not belong together). Written
 * into a simple-query statement, so both ids are checked to be UUIDs here first.
 */
export function answerLinkTenant(broadcastId: string, recipientId: string): string {
  if (!isUuid(broadcastId) || !isUuid(recipientId)) throw new TypeError('answer link ids must be UUIDs');
  return `anpi_answer_tenant('${broadcastId}'::uuid, '${recipientId}'::uuid)`;
}
