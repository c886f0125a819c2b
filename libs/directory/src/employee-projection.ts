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

/** What the tenant's settings let a viewer see beyond their tier's default. */
export interface DirectoryDisclosure {
  /** Admins and maintainers: LINE display names (showLineProfileToMaintainers). */
  showLineProfile: boolean;
  /** Department heads: emails and mobiles of their subtrees' employees, to phone them (headsSeeContacts). */
  headsSeeContacts: boolean;
}

/**
 * The privacy tiers in one place. Fields a tier may not see are absent from its object, not
 * blank. The LINE user id is never part of any view.
 */
export function projectEmployee(row: EmployeeRow, viewer: DirectoryViewer, disclosure: DirectoryDisclosure): EmployeeView | EmployeeSummaryView {
  const base = {
    id: row.id,
    code: row.code,
    name: row.name,
    kana: row.kana,
    department: row.department ? ref(row.department) : null,
    additionalDepartments: row.additionalDepartments.map((a) => ref(a.department)).sort((a, b) => a.code.localeCompare(b.code)),
    active: row.active,
    workPrefecture: row.workPrefecture,
  };
  if (viewer.tier === 'head') {
    const channels = { email: row.emails.length > 0, mobile: row.mobiles.length > 0, line: row.lineStatus === 'linked' };
    return disclosure.headsSeeContacts ? { ...base, channels, emails: row.emails, mobiles: row.mobiles } : { ...base, channels };
  }
  return {
    ...base,
    locale: row.locale,
    emails: row.emails,
    mobiles: row.mobiles,
    homePrefecture: row.homePrefecture,
    line: {
      status: row.lineStatus,
      linkedAt: row.lineLinkedAt,
      ...(disclosure.showLineProfile && { displayName: row.lineDisplayName }),
    },
    updatedAt: row.updatedAt,
  };
}

function ref(d: Department): DepartmentRef {
  return { id: d.id, code: d.code, name: d.name };
}
