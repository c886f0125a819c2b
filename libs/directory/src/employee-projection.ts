import type { Department, Employee } from '#anpi/db';
import type { DepartmentRef, EmployeeSummaryView, EmployeeView } from './dto/employee.dto.js';
import type { DirectoryViewer } from './viewer.js';

export type EmployeeRow = Employee & {
  department: Department | null;
  additionalDepartments: { department: Department }[];
};

export const EMPLOYEE_INCLUDE = {
  department: true,
  additionalDepartments: { include: { department: true } },
} as const;

/**
 * The privacy tiers in one place. Fields a tier may not see are absent from its object, not
 * blank. The LINE user id is never part of any view.
 */
export function projectEmployee(row: EmployeeRow, viewer: DirectoryViewer, showLineProfile: boolean): EmployeeView | EmployeeSummaryView {
  const base = {
    id: row.id,
    code: row.code,
    name: row.name,
    kana: row.kana,
    department: row.department ? ref(row.department) : null,
    additionalDepartments: row.additionalDepartments.map((a) => ref(a.department)).sort((a, b) => a.code.localeCompare(b.code)),
    active: row.active,
  };
  if (viewer.tier === 'head') {
    return { ...base, channels: { email: row.emails.length > 0, mobile: row.mobiles.length > 0, line: row.lineStatus === 'linked' } };
  }
  return {
    ...base,
    locale: row.locale,
    emails: row.emails,
    mobiles: row.mobiles,
    line: {
      status: row.lineStatus,
      linkedAt: row.lineLinkedAt,
      ...(showLineProfile && { displayName: row.lineDisplayName }),
    },
    updatedAt: row.updatedAt,
  };
}

function ref(d: Department): DepartmentRef {
  return { id: d.id, code: d.code, name: d.name };
}
