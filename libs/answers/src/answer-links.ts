import { Injectable } from '@nestjs/common';
import { AnswerTokenSigner } from '#anpi/alerts';
import { PrismaService, TenantDb, asTenantId, fromJsonRow, type Broadcast, type Recipient, type TenantId } from '#anpi/db';

export interface AnswerContext {
  tenantId: TenantId;
  broadcast: Broadcast;
  recipient: Recipient;
}

/**
 * From an answer link to its broadcast and recipient. The token says which broadcast and
 * recipient; one SECURITY DEFINER lookup says which tenant they belong to; the rest is read under
 * that tenant's row-level policy. Any failure is the same `null`: the page never tells whether a
 * link ever existed.
 */
@Injectable()
export class AnswerLinks {
  constructor(
    private readonly signer: AnswerTokenSigner,
    private readonly prisma: PrismaService,
    private readonly db: TenantDb,
  ) {}

  async resolve(token: string): Promise<AnswerContext | null> {
    const check = this.signer.verify(token);
    if (!check.ok) return null;
    // Plain SQL on the pool: this runs for every tap on a link during a disaster.
    const { rows } = await this.prisma.pool.query<{ tenant_id: string | null }>('SELECT anpi_answer_tenant($1::uuid, $2::uuid)::text AS tenant_id', [check.broadcastId, check.recipientId]);
    if (!rows[0]?.tenant_id) return null;
    const tenantId = asTenantId(rows[0].tenant_id);
    return this.db.sql(tenantId, async (sql) => {
      const [row] = await sql<{ b: Record<string, unknown>; r: Record<string, unknown> }>(
        `SELECT to_jsonb(b) AS b, to_jsonb(r) AS r
         FROM broadcasts b JOIN recipients r ON r.broadcast_id = b.id AND r.tenant_id = b.tenant_id
         WHERE b.id = $1::uuid AND b.tenant_id = $2::uuid AND r.id = $3::uuid`,
        [check.broadcastId, tenantId, check.recipientId],
      );
      return row ? { tenantId, broadcast: fromJsonRow<Broadcast>(row.b), recipient: fromJsonRow<Recipient>(row.r) } : null;
    });
  }
}
