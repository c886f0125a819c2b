import type { TenantId, Tx } from '#anpi/db';
import { DepartmentScope, type DirectoryViewer } from '#anpi/directory';
import type { Targets } from './broadcast-content.js';

export interface TargetsView extends Targets {
  /** For department heads: targeted departments outside their subtrees, counted, not named. */
  otherDepartments?: number;
  /** For department heads: targeted employees outside their subtrees, counted, not named. */
  otherEmployees?: number;
}

/**
 * A broadcast's targets as a viewer may see them. Admins see them as launched. A department head
 * sees only the departments and employees of their own subtrees; the rest is a count, so a head
 * learns how wide an alert was without learning who else it reached.
 */
export class VisibleTargets {
  private constructor(
    private readonly visibleDepartments: Set<string> | null,
    private readonly visibleEmployees: Set<string>,
  ) {}

  static async for(tx: Tx, viewer: DirectoryViewer, targets: Targets[]): Promise<VisibleTargets> {
    const departments = await new DepartmentScope().visibleIds(tx, viewer);
    if (!departments) return new VisibleTargets(null, new Set());
    const employeeIds = [...new Set(targets.flatMap((t) => t.employeeIds ?? []))];
    const rows = employeeIds.length
      ? await tx.$queryRaw<{ id: string }[]>`
          SELECT e.id FROM employees e
          WHERE e.tenant_id = ${viewer.tenantId as TenantId}::uuid AND e.id = ANY(${employeeIds}::uuid[])
            AND (e.department_id = ANY(${departments}::uuid[])
                 OR EXISTS (SELECT 1 FROM employee_departments d WHERE d.employee_id = e.id AND d.department_id = ANY(${departments}::uuid[])))`
      : [];
    return new VisibleTargets(new Set(departments), new Set(rows.map((r) => r.id)));
  }

  view(targets: Targets): TargetsView {
    if (!this.visibleDepartments) return targets;
    const view: TargetsView = {};
    if (targets.all) view.all = true;
    if (targets.areas) view.areas = targets.areas;
    if (targets.departmentIds) {
      view.departmentIds = targets.departmentIds.filter((id) => this.visibleDepartments!.has(id));
      view.otherDepartments = targets.departmentIds.length - view.departmentIds.length;
    }
    if (targets.employeeIds) {
      view.employeeIds = targets.employeeIds.filter((id) => this.visibleEmployees.has(id));
      view.otherEmployees = targets.employeeIds.length - view.employeeIds.length;
    }
    return view;
  }
}
