import type { Department, EmailBounce, Employee, Tx } from '#anpi/db';
import type { DepartmentRef, EmployeeSummaryView, EmployeeView } from './dto/employee.dto.js';
import type { DirectoryViewer } from './viewer.js';

type LoadedEmployee = Employee & {
  department: Department | null;
  additionalDepartments: { department: Department }[];
};

export type EmployeeRow = LoadedEmployee & { emailBounces: EmailBounce[] };

export const EMPLOYEE_INCLUDE = {
  department: true,
  additionalDepartments: { include: { department: true } },
} as const;

/**
 * The employees' bounced addresses, in one query of their own: as a third relation of the
 * include, Prisma would send it on the transaction's connection while another is running.
 */
export async function withBounces<T extends LoadedEmployee>(tx: Tx, rows: T[]): Promise<(T & { emailBounces: EmailBounce[] })[]> {
  const bounces = rows.length ? await tx.emailBounce.findMany({ where: { employeeId: { in: rows.map((r) => r.id) } }, orderBy: { bouncedAt: 'asc' } }) : [];
  return rows.map((r) => ({ ...r, emailBounces: bounces.filter((b) => b.employeeId === r.id) }));
}

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
    emailBounces: row.emailBounces.map((b) => ({ address: b.address, event: b.event, reason: b.reason, bouncedAt: b.bouncedAt })),
    mobiles: row.mobiles,
    homePrefecture: row.homePrefecture,
    line: {
      status: row.lineStatus,
      linkedAt: row.lineLinkedAt,
      ...(disclosure.showLineProfile && { displayName: row.lineDisplayName }),
    },
    lineworksId: row.lineworksId,
    lineworksTarget: row.lineworksId ?? row.emails[0] ?? null,
    updatedAt: row.updatedAt,
  };
}

function ref(d: Department): DepartmentRef {
  return { id: d.id, code: d.code, name: d.name };
}
