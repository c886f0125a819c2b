import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, type TenantId } from '#anpi/db';
import { JobName, QueueName } from '#anpi/queue';
import type { InviteResult } from '../dto/line.dto.js';
import { ContactSender } from './contact-sender.js';
import type { InviteJobData } from './invite-sender.js';
import { ConflictError, NotFoundError } from '#anpi/errors';

/** Admins and maintainers invite employees to link LINE: one, or a department subtree at once. */
@Injectable()
export class LineInvitations {
  constructor(
    private readonly db: TenantDb,
    private readonly contacts: ContactSender,
    private readonly audit: AuditLog,
    @InjectQueue(QueueName.Line) private readonly queue: Queue,
  ) {}

  async inviteOne(tenantId: TenantId, actor: Actor, employeeId: string): Promise<InviteResult> {
    const contact = await this.contacts.load(tenantId, employeeId);
    if (!contact) throw new NotFoundError(`Employee ${employeeId} not found (or inactive)`);
    this.assertLineAccount(contact.basicId);
    if (contact.employee.lineStatus === 'linked') throw new ConflictError('already_linked', 'This employee has already linked LINE');
    if (!contact.employee.emails.length && !(contact.employee.mobiles.length && contact.channels.sms)) {
      throw new ConflictError('no_contact', 'This employee has no email address or mobile number to send the invitation to');
    }
    return this.queueInvites(tenantId, actor, [employeeId], 0, { employeeId });
  }

  async inviteDepartment(tenantId: TenantId, actor: Actor, departmentId: string): Promise<InviteResult> {
    const probe = await this.db.run(tenantId, async (tx) => {
      const department = await tx.department.findFirst({ where: { id: departmentId, tenantId }, select: { id: true } });
      if (!department) return null;
      return tx.$queryRaw<{ id: string; reachable: boolean; linked: boolean }[]>`
        SELECT e.id, (cardinality(e.emails) > 0 OR cardinality(e.mobiles) > 0) AS reachable, e.line_status = 'linked' AS linked
        FROM employees e
        WHERE e.tenant_id = ${tenantId}::uuid AND e.active AND e.erased_at IS NULL
          AND EXISTS (
            SELECT 1 FROM departments t
            WHERE t.tenant_id = e.tenant_id AND t.path @> ARRAY[${departmentId}::uuid]
              AND (t.id = e.department_id OR t.id IN (SELECT x.department_id FROM employee_departments x WHERE x.employee_id = e.id)))`;
    });
    if (!probe) throw new NotFoundError(`Department ${departmentId} not found`);
    const first = probe.find((e) => !e.linked && e.reachable);
    if (first) this.assertLineAccount((await this.contacts.load(tenantId, first.id))?.basicId ?? null);
    const invited = probe.filter((e) => !e.linked && e.reachable).map((e) => e.id);
    return this.queueInvites(tenantId, actor, invited, probe.length - invited.length, { departmentId });
  }

  private async queueInvites(tenantId: TenantId, actor: Actor, employeeIds: string[], skipped: number, scope: Record<string, string>): Promise<InviteResult> {
    if (employeeIds.length) {
      await this.queue.addBulk(employeeIds.map((employeeId) => ({ name: JobName.SendLineInvite, data: { tenantId, employeeId } satisfies InviteJobData })));
    }
    await this.db.run(tenantId, (tx) =>
      this.audit.record(tx, tenantId, actor, {
        action: 'employee.line_invite',
        resourceType: scope.employeeId ? 'employee' : 'department',
        resourceId: scope.employeeId ?? scope.departmentId!,
        details: { queued: employeeIds.length, skipped },
      }),
    );
    return { queued: employeeIds.length, skipped };
  }

  private assertLineAccount(basicId: string | null): void {
    if (!basicId)
      throw new ConflictError(
        'line_not_configured',
        'No LINE official account to invite to: set line.basicId in the channel settings (or LINE_BASIC_ID for the shared account)',
      );
  }
}
