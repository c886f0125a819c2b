import { Injectable } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { Prisma, TenantDb, isUniqueViolation, type TenantId, type Tx } from '#anpi/db';
import { DepartmentScope } from './department-scope.js';
import type { CreateEmployeeDto, EmployeePage, EmployeeSummaryView, EmployeeView, ListEmployeesQuery, UpdateEmployeeDto } from './dto/employee.dto.js';
import { EMPLOYEE_INCLUDE, projectEmployee, withBounces, type DirectoryDisclosure } from './employee-projection.js';
import { normalizeMobile } from './phone-number.js';
import { searchTerms } from './search-terms.js';
import type { DirectoryViewer } from './viewer.js';
import { ConflictError, InvalidInputError, NotFoundError } from '#anpi/errors';

const ERASED_NAME = '(削除済み / erased)';

@Injectable()
export class EmployeesService {
  constructor(
    private readonly db: TenantDb,
    private readonly scope: DepartmentScope,
    private readonly audit: AuditLog,
  ) {}

  async list(viewer: DirectoryViewer, query: ListEmployeesQuery): Promise<EmployeePage> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    return this.db.run(viewer.tenantId, async (tx) => {
      const departments = await this.scope.resolve(tx, viewer, query.department);
      const where: Prisma.EmployeeWhereInput = {
        tenantId: viewer.tenantId,
        erasedAt: null,
        ...(query.active !== 'all' && { active: query.active !== 'false' }),
        ...(departments && {
          OR: [{ departmentId: { in: departments } }, { additionalDepartments: { some: { departmentId: { in: departments } } } }],
        }),
        AND: searchTerms(query.q ?? '').map((term) => ({
          OR: [
            { name: { contains: term.text, mode: 'insensitive' as const } },
            { kana: { contains: term.kana, mode: 'insensitive' as const } },
            // Kana stored before every way in stored katakana may still be hiragana.
            { kana: { contains: term.hiragana, mode: 'insensitive' as const } },
            { code: { contains: term.text, mode: 'insensitive' as const } },
          ],
        })),
      };
      // One after another: a transaction is one connection, and queries sent on it at once only queue
      // (pg deprecates issuing them concurrently).
      const rows = await withBounces(
        tx,
        await tx.employee.findMany({ where, include: EMPLOYEE_INCLUDE, orderBy: [{ code: 'asc' }], take: limit, skip: offset }),
      );
      const total = await tx.employee.count({ where });
      const disclosure = await this.disclosure(tx, viewer);
      return { items: rows.map((r) => projectEmployee(r, viewer, disclosure)), total, limit, offset };
    });
  }

  async get(viewer: DirectoryViewer, id: string): Promise<EmployeeView | EmployeeSummaryView> {
    return this.db.run(viewer.tenantId, async (tx) => {
      const visible = await this.scope.visibleIds(tx, viewer);
      const row = await tx.employee.findFirst({
        where: {
          id,
          tenantId: viewer.tenantId,
          erasedAt: null,
          ...(visible && { OR: [{ departmentId: { in: visible } }, { additionalDepartments: { some: { departmentId: { in: visible } } } }] }),
        },
        include: EMPLOYEE_INCLUDE,
      });
      if (!row) throw NotFoundError.of('Employee', id);
      const [loaded] = await withBounces(tx, [row]);
      return projectEmployee(loaded!, viewer, await this.disclosure(tx, viewer));
    });
  }

  async create(viewer: DirectoryViewer, actor: Actor, dto: CreateEmployeeDto): Promise<EmployeeView> {
    return this.db.run(viewer.tenantId, async (tx) => {
      const tenantId = viewer.tenantId;
      await this.assertDepartments(tx, tenantId, dto);
      const created = await this.write(() =>
        tx.employee.create({
          data: {
            tenantId,
            code: dto.code,
            name: dto.name,
            kana: dto.kana ?? null,
            departmentId: dto.departmentId ?? null,
            locale: dto.locale ?? 'ja',
            active: dto.active ?? true,
            emails: dto.emails ?? [],
            mobiles: (dto.mobiles ?? []).map(e164),
            workPrefecture: dto.workPrefecture ?? null,
            homePrefecture: dto.homePrefecture ?? null,
            lineworksId: dto.lineworksId ?? null,
          },
        }),
      );
      await this.setAdditional(tx, tenantId, created.id, dto.additionalDepartmentIds ?? [], created.departmentId);
      await this.audit.record(tx, tenantId, actor, { action: 'employee.create', resourceType: 'employee', resourceId: created.id });
      const row = await tx.employee.findUniqueOrThrow({ where: { id: created.id }, include: EMPLOYEE_INCLUDE });
      const [loaded] = await withBounces(tx, [row]);
      return projectEmployee(loaded!, viewer, await this.disclosure(tx, viewer)) as EmployeeView;
    });
  }

  async update(viewer: DirectoryViewer, actor: Actor, id: string, dto: UpdateEmployeeDto): Promise<EmployeeView> {
    return this.db.run(viewer.tenantId, async (tx) => {
      const tenantId = viewer.tenantId;
      const current = await tx.employee.findFirst({ where: { id, tenantId, erasedAt: null } });
      if (!current) throw NotFoundError.of('Employee', id);
      await this.assertDepartments(tx, tenantId, dto);
      if (dto.additionalDepartmentIds) {
        await tx.employeeDepartment.deleteMany({ where: { tenantId, employeeId: id } });
        await this.setAdditional(tx, tenantId, id, dto.additionalDepartmentIds, dto.departmentId ?? current.departmentId);
      }
      const updated = await this.write(() =>
        tx.employee.update({
          where: { id },
          data: {
            code: dto.code,
            name: dto.name,
            kana: dto.kana,
            departmentId: dto.departmentId,
            locale: dto.locale,
            active: dto.active,
            emails: dto.emails,
            mobiles: dto.mobiles?.map(e164),
            workPrefecture: dto.workPrefecture,
            homePrefecture: dto.homePrefecture,
            lineworksId: dto.lineworksId,
          },
          include: EMPLOYEE_INCLUDE,
        }),
      );
      if (dto.emails) {
        // A changed address is a new address: its old bounce no longer says anything about it.
        const kept = dto.emails.map((e) => e.toLowerCase());
        await tx.emailBounce.deleteMany({ where: { tenantId, employeeId: id, address: { notIn: kept } } });
      }
      const deactivated = dto.active === false && current.active;
      await this.audit.record(tx, tenantId, actor, {
        action: deactivated ? 'employee.deactivate' : 'employee.update',
        resourceType: 'employee',
        resourceId: id,
        details: { fields: Object.keys(dto) },
      });
      const [loaded] = await withBounces(tx, [updated]);
      return projectEmployee(loaded!, viewer, await this.disclosure(tx, viewer)) as EmployeeView;
    });
  }

  /** An admin fixed the mailbox (or knows it works again): alerts use the address again. */
  async clearEmailBounces(viewer: DirectoryViewer, actor: Actor, id: string): Promise<EmployeeView> {
    return this.db.run(viewer.tenantId, async (tx) => {
      const tenantId = viewer.tenantId;
      const current = await tx.employee.findFirst({ where: { id, tenantId, erasedAt: null }, select: { id: true } });
      if (!current) throw NotFoundError.of('Employee', id);
      const cleared = await tx.emailBounce.deleteMany({ where: { tenantId, employeeId: id } });
      await this.audit.record(tx, tenantId, actor, {
        action: 'employee.email_bounces_clear',
        resourceType: 'employee',
        resourceId: id,
        details: { cleared: cleared.count },
      });
      const row = await tx.employee.findUniqueOrThrow({ where: { id }, include: EMPLOYEE_INCLUDE });
      const [loaded] = await withBounces(tx, [row]);
      return projectEmployee(loaded!, viewer, await this.disclosure(tx, viewer)) as EmployeeView;
    });
  }

  /**
   * For a data-protection request: removes the person's data (name, kana, code, contacts, LINE
   * link, additional departments) and keeps an anonymous, inactive row so that past alerts'
   * counts stay whole.
   */
  async erase(tenantId: TenantId, actor: Actor, id: string): Promise<void> {
    await this.db.run(tenantId, async (tx) => {
      const current = await tx.employee.findFirst({ where: { id, tenantId, erasedAt: null } });
      if (!current) throw NotFoundError.of('Employee', id);
      await tx.employeeDepartment.deleteMany({ where: { tenantId, employeeId: id } });
      await tx.emailBounce.deleteMany({ where: { tenantId, employeeId: id } });
      await tx.lineWorksUser.deleteMany({ where: { tenantId, employeeId: id } });
      await tx.employee.update({
        where: { id },
        data: {
          code: `_erased_${id}`,
          name: ERASED_NAME,
          kana: null,
          emails: [],
          mobiles: [],
          lineUserId: null,
          lineDisplayName: null,
          lineStatus: 'unlinked',
          lineLinkedAt: null,
          lineStatusAt: null,
          lineChannelKey: null,
          lineworksId: null,
          active: false,
          erasedAt: new Date(),
        },
      });
      // Past alerts keep their counts, not the person: their recipient snapshots are scrubbed too.
      const scrubbed = await tx.$executeRaw`
        UPDATE recipients SET name = ${ERASED_NAME}, emails = '{}', mobiles = '{}', line_user_id = NULL, lineworks_id = NULL
        WHERE tenant_id = ${tenantId}::uuid AND employee_id = ${id}::uuid`;
      await this.audit.record(tx, tenantId, actor, {
        action: 'employee.erase',
        resourceType: 'employee',
        resourceId: id,
        details: { scrubbedRecipients: scrubbed },
      });
    });
  }

  private async setAdditional(tx: Tx, tenantId: TenantId, employeeId: string, departmentIds: string[], primary: string | null): Promise<void> {
    const data = departmentIds.filter((d) => d !== primary).map((departmentId) => ({ tenantId, employeeId, departmentId }));
    if (data.length) await tx.employeeDepartment.createMany({ data });
  }

  private async disclosure(tx: Tx, viewer: DirectoryViewer): Promise<DirectoryDisclosure> {
    const tenant = await tx.tenant.findUnique({ where: { id: viewer.tenantId }, select: { showLineProfileToMaintainers: true, headsSeeContacts: true } });
    return {
      showLineProfile: viewer.tier === 'full' && (tenant?.showLineProfileToMaintainers ?? false),
      headsSeeContacts: viewer.tier === 'head' && (tenant?.headsSeeContacts ?? false),
    };
  }

  private async assertDepartments(tx: Tx, tenantId: TenantId, dto: UpdateEmployeeDto): Promise<void> {
    const wanted = [...(dto.departmentId ? [dto.departmentId] : []), ...(dto.additionalDepartmentIds ?? [])];
    if (wanted.length === 0) return;
    const found = new Set((await tx.department.findMany({ where: { tenantId, id: { in: wanted } }, select: { id: true } })).map((d) => d.id));
    const errors = [
      ...(dto.departmentId && !found.has(dto.departmentId) ? [{ field: 'departmentId', reason: 'departmentId is not a department of this tenant' }] : []),
      ...(dto.additionalDepartmentIds ?? []).flatMap((d, i) =>
        found.has(d) ? [] : [{ field: `additionalDepartmentIds[${i}]`, reason: 'not a department of this tenant' }],
      ),
    ];
    if (errors.length) throw new InvalidInputError(errors);
  }

  private async write<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('code_taken', 'Another employee already has this code');
      throw error;
    }
  }
}

function e164(mobile: string): string {
  const result = normalizeMobile(mobile);
  if (!result.ok) throw InvalidInputError.field('mobiles', `mobile ${result.reason}`); // validated before; defensive
  return result.e164;
}
