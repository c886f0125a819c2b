import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { TenantDb, type Prisma, type Recipient, type Tx } from '#anpi/db';
import { DepartmentScope, type DirectoryViewer } from '#anpi/directory';
import type { RecipientPage, RecipientsQuery, RecipientView } from './dto/answers.dto.js';

/**
 * Who has (not) answered, for phoning round: contacts for admins, only which channels exist for
 * department heads, and heads see their subtrees only.
 */
@Injectable()
export class RecipientsService {
  constructor(
    private readonly db: TenantDb,
    private readonly scope: DepartmentScope,
  ) {}

  async list(viewer: DirectoryViewer, broadcastId: string, query: RecipientsQuery): Promise<RecipientPage> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    return this.db.run(viewer.tenantId, async (tx) => {
      const where = await this.where(tx, viewer, broadcastId, query.department);
      const state: Prisma.RecipientWhereInput =
        query.state === 'answered' ? { answeredAt: { not: null } } : query.state === 'unanswered' ? { answeredAt: null } : query.state === 'opened' ? { answeredAt: null, openedAt: { not: null } } : {};
      const full = { ...where, ...state };
      const [rows, total] = await Promise.all([
        tx.recipient.findMany({ where: full, orderBy: { seq: 'asc' }, take: limit, skip: offset }),
        tx.recipient.count({ where: full }),
      ]);
      return { items: rows.map((r) => view(r, viewer)), total, limit, offset };
    });
  }

  /** The recipients a viewer may see of a broadcast, narrowed to a department's subtree. */
  async where(tx: Tx, viewer: DirectoryViewer, broadcastId: string, departmentId?: string): Promise<Prisma.RecipientWhereInput> {
    const exists = await tx.broadcast.count({ where: { id: broadcastId, tenantId: viewer.tenantId } });
    if (!exists) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `Broadcast ${broadcastId} not found` });
    const visible = await this.scope.visibleIds(tx, viewer);
    if (visible && departmentId && !visible.includes(departmentId)) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', code: 'outside_your_departments', message: 'This department is outside the departments assigned to you' });
    }
    return {
      tenantId: viewer.tenantId,
      broadcastId,
      AND: [...(visible ? [{ departmentPath: { hasSome: visible } }] : []), ...(departmentId ? [{ departmentPath: { has: departmentId } }] : [])],
    };
  }
}

function view(r: Recipient, viewer: DirectoryViewer): RecipientView {
  const base = {
    recipientId: r.id,
    employeeId: r.employeeId,
    employeeCode: r.employeeCode,
    name: r.name,
    department: r.departmentName,
    state: r.answeredAt ? ('answered' as const) : r.openedAt ? ('opened' as const) : ('unanswered' as const),
    openedAt: r.openedAt,
    answeredAt: r.answeredAt,
  };
  if (viewer.tier === 'head') return { ...base, channels: { email: r.emails.length > 0, mobile: r.mobiles.length > 0, line: r.lineUserId !== null } };
  return { ...base, emails: r.emails, mobiles: r.mobiles, channels: { email: r.emails.length > 0, mobile: r.mobiles.length > 0, line: r.lineUserId !== null } };
}
