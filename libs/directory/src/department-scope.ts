import { Injectable } from '@nestjs/common';
import type { TenantId, Tx } from '#anpi/db';
import type { DirectoryViewer } from './viewer.js';
import { ForbiddenError } from '#anpi/errors';

/**
 * The departments a viewer may see: all of them, or for a department head the subtrees of the
 * departments assigned to them. Subtrees come from the ancestry path (`path && roots`, one GIN
 * index lookup), not from walking the tree.
 */
@Injectable()
export class DepartmentScope {
  /** null means "every department"; otherwise the ids the viewer may see. */
  async visibleIds(tx: Tx, viewer: DirectoryViewer): Promise<string[] | null> {
    if (viewer.tier === 'full') return null;
    if (!viewer.userId) return [];
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT d.id FROM departments d
      WHERE d.tenant_id = ${viewer.tenantId}::uuid
        AND d.path && (SELECT coalesce(array_agg(u.department_id), '{}') FROM user_departments u WHERE u.user_id = ${viewer.userId}::uuid)`;
    return rows.map((r) => r.id);
  }

  /** Ids of a department and everything under it. */
  async subtreeIds(tx: Tx, tenantId: TenantId, departmentId: string): Promise<string[]> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM departments WHERE tenant_id = ${tenantId}::uuid AND path @> ARRAY[${departmentId}::uuid]`;
    return rows.map((r) => r.id);
  }

  /**
   * The departments a request narrowed to `departmentId` covers, within what the viewer may see;
   * 403 when a department head asks outside their subtrees.
   */
  async resolve(tx: Tx, viewer: DirectoryViewer, departmentId?: string): Promise<string[] | null> {
    const visible = await this.visibleIds(tx, viewer);
    if (!departmentId) return visible;
    if (visible && !visible.includes(departmentId)) {
      throw new ForbiddenError('outside_your_departments', 'This department is outside the departments assigned to you');
    }
    return this.subtreeIds(tx, viewer.tenantId, departmentId);
  }
}
