import { Injectable } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, type TenantId } from '#anpi/db';

/** An employee's LINE fields when nothing is linked (`lineStatusAt` stays: a new link sets it). */
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

  /**
   * LINE said the user blocked the account at `at`: alerts skip LINE for them until they follow
   * again. Nothing changes when a later follow or unfollow (or the link itself) has been applied.
   */
  async markUnreachable(tenantId: TenantId, employeeId: string, at: Date): Promise<void> {
    await this.db.run(tenantId, (tx) =>
      tx.employee.updateMany({
        where: { id: employeeId, tenantId, lineStatus: 'linked', ...notAfter(at) },
        data: { lineStatus: 'unreachable', lineStatusAt: at },
      }),
    );
  }

  /**
   * Followed at `at` (again after blocking): reachable on the same link. Noted on a reachable
   * link too, so that an unfollow from before it, handled after it, changes nothing. false when
   * a later follow or unfollow had been applied.
   */
  async markReachable(tenantId: TenantId, employeeId: string, at: Date): Promise<boolean> {
    const updated = await this.db.run(tenantId, (tx) =>
      tx.employee.updateMany({
        where: { id: employeeId, tenantId, lineStatus: { in: ['linked', 'unreachable'] }, ...notAfter(at) },
        data: { lineStatus: 'linked', lineStatusAt: at },
      }),
    );
    return updated.count > 0;
  }
}

/** Rows whose last applied follow, unfollow or link is not later than `at`. */
function notAfter(at: Date) {
  return { OR: [{ lineStatusAt: null }, { lineStatusAt: { lte: at } }] };
}
