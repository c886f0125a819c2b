import { Injectable } from '@nestjs/common';
import { TenantDb, ONE_SNAPSHOT, type Prisma, type Recipient, type Tx } from '#anpi/db';
import { content } from '#anpi/alerts';
import { DepartmentScope, type DirectoryViewer } from '#anpi/directory';
import type { RecipientPage, RecipientsQuery, RecipientView } from './dto/answers.dto.js';
import { ForbiddenError, NotFoundError } from '#anpi/errors';

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
    return this.db.run(
      viewer.tenantId,
      async (tx) => {
        const where = await this.where(tx, viewer, broadcastId, query.department);
        const required = await requiredQuestions(tx, broadcastId);
        const state: Prisma.RecipientWhereInput =
          query.state === 'answered'
            ? { answeredAt: { not: null } }
            : query.state === 'unanswered'
              ? { answeredAt: null }
              : query.state === 'opened'
                ? { answeredAt: null, openedAt: { not: null } }
                : query.state === 'partial'
                  ? { id: { in: await partiallyAnswered(tx, broadcastId, required) } }
                  : {};
        const full = { ...where, ...state };
        const rows = await tx.recipient.findMany({ where: full, orderBy: { seq: 'asc' }, take: limit, skip: offset });
        const total = await tx.recipient.count({ where: full });
        const contacts = await this.showsContacts(tx, viewer);
        const bounced = viewer.tier === 'full' ? await bouncedAddresses(tx, rows) : null;
        return {
          items: rows.map((r) => {
            const v = view(r, contacts, required);
            return bounced ? { ...v, bouncedEmails: bounced.get(r.employeeId) ?? [] } : v;
          }),
          total,
          limit,
          offset,
        };
      },
      ONE_SNAPSHOT,
    );
  }

  /** Admins see contacts; department heads only where the tenant lets them (headsSeeContacts). */
  private async showsContacts(tx: Tx, viewer: DirectoryViewer): Promise<boolean> {
    if (viewer.tier === 'full') return true;
    const tenant = await tx.tenant.findUnique({ where: { id: viewer.tenantId }, select: { headsSeeContacts: true } });
    return tenant?.headsSeeContacts ?? false;
  }

  /** The recipients a viewer may see of a broadcast, narrowed to a department's subtree. */
  async where(tx: Tx, viewer: DirectoryViewer, broadcastId: string, departmentId?: string): Promise<Prisma.RecipientWhereInput> {
    const exists = await tx.broadcast.count({ where: { id: broadcastId, tenantId: viewer.tenantId } });
    if (!exists) throw new NotFoundError(`Broadcast ${broadcastId} not found`);
    const visible = await this.scope.visibleIds(tx, viewer);
    if (visible && departmentId && !visible.includes(departmentId)) {
      throw new ForbiddenError('outside_your_departments', 'This department is outside the departments assigned to you');
    }
    return {
      tenantId: viewer.tenantId,
      broadcastId,
      AND: [...(visible ? [{ departmentPath: { hasSome: visible } }] : []), ...(departmentId ? [{ departmentPath: { has: departmentId } }] : [])],
    };
  }
}

async function requiredQuestions(tx: Tx, broadcastId: string): Promise<string[]> {
  const broadcast = await tx.broadcast.findUnique({ where: { id: broadcastId }, select: { questions: true } });
  return broadcast
    ? content
        .questions(broadcast.questions)
        .filter((q) => q.required)
        .map((q) => q.id)
    : [];
}

/** Answered with a required question still empty (the LINE one-tap, a partial proxy answer). */
async function partiallyAnswered(tx: Tx, broadcastId: string, required: string[]): Promise<string[]> {
  if (required.length === 0) return [];
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM recipients WHERE broadcast_id = ${broadcastId}::uuid AND answered_at IS NOT NULL
      AND NOT (coalesce(choices, '{}'::jsonb) ?& ${required}::text[])`;
  return rows.map((r) => r.id);
}

/** Addresses of these recipients' employees that bounced for good (flagged in the directory now). */
async function bouncedAddresses(tx: Tx, rows: Recipient[]): Promise<Map<string, string[]>> {
  const bounces = await tx.emailBounce.findMany({ where: { employeeId: { in: rows.map((r) => r.employeeId) } }, select: { employeeId: true, address: true } });
  const byEmployee = new Map<string, string[]>();
  for (const b of bounces) byEmployee.set(b.employeeId, [...(byEmployee.get(b.employeeId) ?? []), b.address]);
  return byEmployee;
}

function view(r: Recipient, contacts: boolean, required: string[]): RecipientView {
  const choices = (r.choices ?? {}) as Record<string, unknown>;
  const base = {
    recipientId: r.id,
    employeeId: r.employeeId,
    employeeCode: r.employeeCode,
    name: r.name,
    department: r.departmentName,
    state: r.answeredAt ? ('answered' as const) : r.openedAt ? ('opened' as const) : ('unanswered' as const),
    openedAt: r.openedAt,
    answeredAt: r.answeredAt,
    answeredPartially: r.answeredAt !== null && required.some((id) => typeof choices[id] !== 'string'),
    channels: { email: r.emails.length > 0, mobile: r.mobiles.length > 0, line: r.lineUserId !== null },
  };
  return contacts ? { ...base, emails: r.emails, mobiles: r.mobiles } : base;
}
