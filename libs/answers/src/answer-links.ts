import { Injectable } from '@nestjs/common';
import { AnswerTokenSigner } from '#anpi/alerts';
import { PrismaService, TenantDb, asTenantId, type Broadcast, type Recipient, type TenantId } from '#anpi/db';

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
    const [row] = await this.prisma.$queryRaw<{ tenant_id: string | null }[]>`
      SELECT anpi_answer_tenant(${check.broadcastId}::uuid, ${check.recipientId}::uuid)::text AS tenant_id`;
    if (!row?.tenant_id) return null;
    const tenantId = asTenantId(row.tenant_id);
    return this.db.run(tenantId, async (tx) => {
      const [broadcast, recipient] = await Promise.all([
        tx.broadcast.findFirst({ where: { id: check.broadcastId, tenantId } }),
        tx.recipient.findFirst({ where: { id: check.recipientId, broadcastId: check.broadcastId, tenantId } }),
      ]);
      return broadcast && recipient ? { tenantId, broadcast, recipient } : null;
    });
  }
}
