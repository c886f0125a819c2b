import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, isUniqueViolation, type Department, type TenantId, type Tx } from '#anpi/db';
import { DepartmentScope } from './department-scope.js';
import { DepartmentView, type CreateDepartmentDto, type UpdateDepartmentDto } from './dto/department.dto.js';
import type { DirectoryViewer } from './viewer.js';
import { ConflictError, InvalidInputError, NotFoundError } from '#anpi/errors';

/** The department tree (本社 › 営業部 › 第一課 …), kept as an ancestry path on every department. */
@Injectable()
export class DepartmentsService {
  constructor(
    private readonly db: TenantDb,
    private readonly scope: DepartmentScope,
    private readonly audit: AuditLog,
  ) {}

  async list(viewer: DirectoryViewer, under?: string): Promise<DepartmentView[]> {
    return this.db.run(viewer.tenantId, async (tx) => {
      if (under) await this.find(tx, viewer.tenantId, under);
      const ids = await this.scope.resolve(tx, viewer, under);
      const rows = await tx.department.findMany({
        where: { tenantId: viewer.tenantId, ...(ids && { id: { in: ids } }) },
        orderBy: [{ code: 'asc' }],
      });
      // Head counts for pickers: one grouped count, rolled up each department's path.
      const groups = await tx.employee.groupBy({
        by: ['departmentId'],
        where: { tenantId: viewer.tenantId, active: true, erasedAt: null, departmentId: { not: null } },
        _count: { _all: true },
      });
      const pathOf = new Map(rows.map((d) => [d.id, d.path]));
      const headcount = new Map<string, number>();
      for (const g of groups) for (const id of pathOf.get(g.departmentId!) ?? []) headcount.set(id, (headcount.get(id) ?? 0) + g._count._all);
      return sortAsTree(rows).map((d) => ({ ...DepartmentView.from(d), headcount: headcount.get(d.id) ?? 0 }));
    });
  }

  async get(viewer: DirectoryViewer, id: string): Promise<DepartmentView> {
    return this.db.run(viewer.tenantId, async (tx) => {
      const department = await this.find(tx, viewer.tenantId, id);
      await this.scope.resolve(tx, viewer, id);
      return DepartmentView.from(department);
    });
  }

  async create(tenantId: TenantId, actor: Actor, dto: CreateDepartmentDto): Promise<DepartmentView> {
    return this.db.run(tenantId, async (tx) => {
      const parent = dto.parentId ? await this.find(tx, tenantId, dto.parentId, 'parentId') : null;
      const id = randomUUID();
      const department = await this.write(() =>
        tx.department.create({
          data: {
            id,
            tenantId,
            code: dto.code,
            name: dto.name,
            parentId: parent?.id ?? null,
            path: [...(parent?.path ?? []), id],
            prefecture: dto.prefecture ?? null,
          },
        }),
      );
      await this.audit.record(tx, tenantId, actor, {
        action: 'department.create',
        resourceType: 'department',
        resourceId: id,
        details: { parentId: parent?.id ?? null },
      });
      return DepartmentView.from(department);
    });
  }

  async update(tenantId: TenantId, actor: Actor, id: string, dto: UpdateDepartmentDto): Promise<DepartmentView> {
    return this.db.run(tenantId, async (tx) => {
      // One tree change at a time per tenant: two concurrent moves could otherwise form a cycle.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`department-tree:${tenantId}`}))`;
      const current = await this.find(tx, tenantId, id);
      const moving = dto.parentId !== undefined && dto.parentId !== current.parentId;
      if (moving) await this.move(tx, tenantId, current, dto.parentId ?? null);
      const updated = await this.write(() => tx.department.update({ where: { id }, data: { code: dto.code, name: dto.name, prefecture: dto.prefecture } }));
      await this.audit.record(tx, tenantId, actor, {
        action: moving ? 'department.move' : 'department.update',
        resourceType: 'department',
        resourceId: id,
        details: { fields: Object.keys(dto), ...(moving && { from: current.parentId, to: dto.parentId ?? null }) },
      });
      return DepartmentView.from(updated);
    });
  }

  async remove(tenantId: TenantId, actor: Actor, id: string, moveMembersTo?: string): Promise<void> {
    await this.db.run(tenantId, async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`department-tree:${tenantId}`}))`;
      await this.find(tx, tenantId, id);
      const children = await tx.department.count({ where: { tenantId, parentId: id } });
      if (children > 0) throw new ConflictError('has_subdepartments', `The department has ${children} sub-departments; move or delete them first`);
      const primary = await tx.employee.count({ where: { tenantId, departmentId: id } });
      const additional = await tx.employeeDepartment.count({ where: { tenantId, departmentId: id } });
      if (primary + additional > 0) {
        if (!moveMembersTo) {
          throw new ConflictError('has_members', `The department has ${primary + additional} members; pass moveMembersTo=<department id> to move them first`);
        }
        if (moveMembersTo === id) throw new ConflictError('has_members', 'moveMembersTo must be another department');
        await this.find(tx, tenantId, moveMembersTo, 'moveMembersTo');
        await tx.employee.updateMany({ where: { tenantId, departmentId: id }, data: { departmentId: moveMembersTo } });
        await tx.$executeRaw`
          INSERT INTO employee_departments (tenant_id, employee_id, department_id)
          SELECT tenant_id, employee_id, ${moveMembersTo}::uuid FROM employee_departments
          WHERE tenant_id = ${tenantId}::uuid AND department_id = ${id}::uuid
          ON CONFLICT DO NOTHING`;
        await tx.employeeDepartment.deleteMany({ where: { tenantId, departmentId: id } });
      }
      await tx.department.delete({ where: { id } });
      await this.audit.record(tx, tenantId, actor, {
        action: 'department.delete',
        resourceType: 'department',
        resourceId: id,
        details: { movedMembers: primary + additional, ...(moveMembersTo && { movedTo: moveMembersTo }) },
      });
    });
  }

  private async move(tx: Tx, tenantId: TenantId, department: Department, parentId: string | null): Promise<void> {
    const parent = parentId ? await this.find(tx, tenantId, parentId, 'parentId') : null;
    if (parent && parent.path.includes(department.id)) {
      throw new ConflictError(
        'cycle',
        parent.id === department.id ? 'A department cannot be its own parent' : 'The new parent is inside this department: moving there would create a cycle',
      );
    }
    const prefix = parent?.path ?? [];
    // Every department of the subtree keeps its path below the moved one, under the new prefix.
    await tx.$executeRaw`
      UPDATE departments
      SET path = ${prefix}::uuid[] || path[array_position(path, ${department.id}::uuid):array_length(path, 1)]
      WHERE tenant_id = ${tenantId}::uuid AND path @> ARRAY[${department.id}::uuid]`;
    await tx.department.update({ where: { id: department.id }, data: { parentId } });
  }

  private async find(tx: Tx, tenantId: TenantId, id: string, field = 'id'): Promise<Department> {
    const department = await tx.department.findFirst({ where: { id, tenantId } });
    if (!department && field === 'id') throw new NotFoundError(`Department ${id} not found`);
    if (!department) {
      // A reference in the request body: bad input rather than a missing resource.
      throw InvalidInputError.field(field, `${field} is not a department of this tenant`);
    }
    return department;
  }

  private async write<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('code_taken', 'Another department already has this code');
      throw error;
    }
  }
}

/** Parents before children, siblings by code: the order a tree view draws them in. */
function sortAsTree(rows: Department[]): Department[] {
  const byId = new Map(rows.map((d) => [d.id, d]));
  const key = (d: Department) => d.path.map((id) => byId.get(id)?.code ?? '').join('\u0000');
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
