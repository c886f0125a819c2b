import { Injectable } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, type TenantId } from '#anpi/db';

/** An employee's LINE fields when nothing is linked. */
export const UNLINKED = { lineUserId: null, lineDisplayName: null, lineStatus: 'unlinked', lineLinkedAt: null, lineChannelKey: null } as const;

/** Removing a LINE link, by an admin or by the employee from LINE; both are audited. */
@Injectable()
export class LineUnlinker {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditLog,
  ) {}

  /** false when the employee does not exist in this tenant or had no link. */
  async unlink(tenantId: TenantId, employeeId: string, actor: Actor, by: 'admin' | 'employee'): Promise<boolean> {
    return this.db.run(tenantId, async (tx) => {
      const employee = await tx.employee.findFirst({ where: { id: employeeId, tenantId, erasedAt: null }, select: { lineUserId: true, lineChannelKey: true } });
      if (!employee?.lineUserId) return false;
      await tx.employee.update({ where: { id: employeeId }, data: UNLINKED });
      await this.audit.record(tx, tenantId, actor, {
        action: 'employee.line_unlinked',
        resourceType: 'employee',
        resourceId: employeeId,
        details: { by, channelKey: employee.lineChannelKey },
      });
      return true;
    });
  }

  /** LINE said the user blocked the account: alerts skip LINE for them until they follow again. */
  async markUnreachable(tenantId: TenantId, employeeId: string): Promise<void> {
    await this.db.run(tenantId, (tx) =>
      tx.employee.updateMany({ where: { id: employeeId, tenantId, lineStatus: 'linked' }, data: { lineStatus: 'unreachable' } }),
    );
  }

  /** Followed again after blocking: reachable on the same link. */
  async markReachable(tenantId: TenantId, employeeId: string): Promise<boolean> {
    const updated = await this.db.run(tenantId, (tx) =>
      tx.employee.updateMany({ where: { id: employeeId, tenantId, lineStatus: 'unreachable' }, data: { lineStatus: 'linked' } }),
    );
    return updated.count > 0;
  }
}
