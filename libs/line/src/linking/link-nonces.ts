import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditLog, SYSTEM_ACTOR } from '#anpi/audit';
import { PrismaService, TenantDb, asTenantId, type TenantId } from '#anpi/db';
import { UNLINKED } from '../line-unlinker.js';

const NONCE_TTL_MS = 10 * 60_000;

export interface CompletedLink {
  tenantId: TenantId;
  employeeId: string;
  name: string;
  /** Other employees of the tenant this LINE user was linked to until now (replaced). */
  replaced: number;
}

/**
 * The nonces of LINE's account-link flow: 192 random bits, bound to one employee and channel,
 * single use, 10 minutes. Only their SHA-256 is stored; the nonce itself travels through LINE and
 * comes back in the accountLink event, which is the only thing that can complete a link.
 */
@Injectable()
export class LinkNonces {
  constructor(
    private readonly prisma: PrismaService,
    private readonly db: TenantDb,
    private readonly audit: AuditLog,
  ) {}

  async issue(tenantId: TenantId, employeeId: string, channelKey: string): Promise<string> {
    const nonce = randomBytes(24).toString('base64url');
    await this.db.run(tenantId, (tx) =>
      tx.lineLinkNonce.create({ data: { nonceHash: hash(nonce), tenantId, employeeId, channelKey, expiresAt: new Date(Date.now() + NONCE_TTL_MS) } }),
    );
    return nonce;
  }

  /**
   * Completes a link for an `accountLink` event with result ok. A used, expired, unknown or
   * other-channel nonce links nobody (null). A LINE user links to one employee per tenant: a
   * confirmed new link replaces the old one.
   */
  async complete(channelKey: string, nonce: string, lineUserId: string, displayName: string | null): Promise<CompletedLink | null> {
    if (typeof nonce !== 'string' || nonce.length < 16 || nonce.length > 255) return null;
    const nonceHash = hash(nonce);
    const [row] = await this.prisma.$queryRaw<{ tenant_id: string | null }[]>`SELECT anpi_line_nonce_tenant(${nonceHash})::text AS tenant_id`;
    if (!row?.tenant_id) return null;
    const tenantId = asTenantId(row.tenant_id);
    return this.db.run(tenantId, async (tx) => {
      const now = new Date();
      const claimed = await tx.lineLinkNonce.updateMany({
        where: { nonceHash, tenantId, channelKey, usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (!claimed.count) {
        // A retried job (or LINE's redelivery under a new event id) after this very link succeeded.
        const used = await tx.lineLinkNonce.findFirst({ where: { nonceHash, tenantId, channelKey, usedAt: { not: null } }, include: { employee: true } });
        const same = used?.employee.lineUserId === lineUserId && used.employee.lineChannelKey === channelKey && used.employee.lineStatus !== 'unlinked';
        return same ? { tenantId, employeeId: used.employeeId, name: used.employee.name, replaced: 0 } : null;
      }
      const { employeeId } = await tx.lineLinkNonce.findUniqueOrThrow({ where: { nonceHash } });
      const employee = await tx.employee.findFirst({ where: { id: employeeId, tenantId, erasedAt: null } });
      if (!employee) return null;
      const replaced = await tx.employee.updateMany({ where: { tenantId, lineChannelKey: channelKey, lineUserId, id: { not: employeeId } }, data: UNLINKED });
      await tx.employee.update({
        where: { id: employeeId },
        data: { lineUserId, lineDisplayName: displayName, lineStatus: 'linked', lineLinkedAt: now, lineStatusAt: now, lineChannelKey: channelKey },
      });
      await this.audit.record(tx, tenantId, SYSTEM_ACTOR, {
        action: 'employee.line_linked',
        resourceType: 'employee',
        resourceId: employeeId,
        details: { channelKey, replacedOtherEmployee: replaced.count > 0, relinked: employee.lineUserId !== null && employee.lineUserId !== lineUserId },
      });
      return { tenantId, employeeId, name: employee.name, replaced: replaced.count };
    });
  }
}

function hash(nonce: string): string {
  return createHash('sha256').update(nonce).digest('hex');
}
