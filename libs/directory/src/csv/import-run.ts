import { randomUUID } from 'node:crypto';
import type { TenantId, Tx } from '#anpi/db';
import type { Column } from './columns.js';
import type { ImportReport } from './import-report.js';
import type { ParsedRow, RowError } from './row-parser.js';

export interface ImportOptions {
  dryRun: boolean;
  deactivateMissing: boolean;
  createDepartments: boolean;
}

const BATCH = 1000;
const MAX_LISTED_ERRORS = 1000;
/** A rejected cell is echoed up to this many characters (a 20 MiB cell is not sent back whole). */
export const MAX_ECHOED_VALUE = 200;
const UNKNOWN_DEPARTMENT = 'unknown department code (import with createDepartments=true to create it)';

interface Existing {
  id: string;
  code: string;
  name: string;
  kana: string | null;
  department_id: string | null;
  locale: string;
  active: boolean;
  emails: string[];
  mobiles: string[];
  work_prefecture: number | null;
  home_prefecture: number | null;
  lineworks_id: string | null;
  additional: string[];
}

type Target = Omit<Existing, 'id' | 'additional'> & { additional: string[] | null };

/**
 * One import inside its transaction: classifies each row against what is stored (create, update,
 * unchanged), writes in batches of 1,000 while the file is clean, and only checks once it is not.
 */
export class ImportRun {
  private readonly seen = new Map<string, number>();
  private batch: ParsedRow[] = [];

  private constructor(
    private readonly tx: Tx,
    private readonly tenantId: TenantId,
    private readonly options: ImportOptions,
    readonly report: ImportReport,
    /** The header of a column as the file spells it, for error messages. */
    private readonly label: (column: Column) => string,
    private readonly departments: Map<string, string>,
  ) {}

  static async start(tx: Tx, tenantId: TenantId, options: ImportOptions, report: ImportReport, label: (c: Column) => string): Promise<ImportRun> {
    const rows = await tx.department.findMany({ where: { tenantId }, select: { id: true, code: true } });
    return new ImportRun(tx, tenantId, options, report, label, new Map(rows.map((d) => [d.code, d.id])));
  }

  get clean(): boolean {
    return this.report.errorCount === 0;
  }

  error(error: RowError): void {
    this.report.errorCount++;
    if (this.report.errors.length < MAX_LISTED_ERRORS) this.report.errors.push({ ...error, value: echoed(error.value) });
  }

  async add(row: ParsedRow, errors: RowError[]): Promise<void> {
    errors.forEach((e) => this.error(e));
    if (errors.length) {
      // Not imported, but every problem of the row is reported at once.
      if (!this.options.createDepartments)
        this.departmentCodes(row)
          .filter(([code]) => !this.departments.has(code))
          .forEach(([code, column]) => this.unknown(row, code, column));
      return;
    }
    const first = this.seen.get(row.code);
    if (first !== undefined) {
      this.error({ row: row.row, column: this.label('code'), value: row.code, reason: `duplicates the employee code of row ${first}` });
      return;
    }
    this.seen.set(row.code, row.row);
    this.batch.push(row);
    if (this.batch.length === BATCH) await this.flush();
  }

  async finish(): Promise<void> {
    await this.flush();
    if (this.options.deactivateMissing) this.report.deactivated = await this.deactivateMissing();
  }

  private get writing(): boolean {
    return !this.options.dryRun && this.clean;
  }

  private async flush(): Promise<void> {
    const rows = this.batch;
    this.batch = [];
    if (rows.length === 0) return;
    const existing = await this.existing(rows.map((r) => r.code));
    const writes: (Target & { id: string })[] = [];
    for (const row of rows) {
      const resolved = await this.resolveDepartments(row);
      if (!resolved) continue;
      const before = existing.get(row.code);
      const target: Target = {
        code: row.code,
        name: row.name,
        kana: row.kana !== undefined ? row.kana : (before?.kana ?? null),
        department_id: resolved.departmentId !== undefined ? resolved.departmentId : (before?.department_id ?? null),
        locale: row.locale ?? before?.locale ?? 'ja',
        active: row.active ?? before?.active ?? true,
        emails: row.emails ?? before?.emails ?? [],
        mobiles: row.mobiles ?? before?.mobiles ?? [],
        work_prefecture: row.workPrefecture !== undefined ? row.workPrefecture : (before?.work_prefecture ?? null),
        home_prefecture: row.homePrefecture !== undefined ? row.homePrefecture : (before?.home_prefecture ?? null),
        lineworks_id: row.lineworksId !== undefined ? row.lineworksId : (before?.lineworks_id ?? null),
        additional: resolved.additional ?? null,
      };
      if (!before) {
        this.report.created++;
        writes.push({ ...target, id: randomUUID() });
      } else if (differs(before, target)) {
        this.report.updated++;
        writes.push({ ...target, id: before.id });
      } else {
        this.report.unchanged++;
      }
    }
    if (writes.length && this.writing) await this.write(writes);
  }

  private async write(writes: (Target & { id: string })[]): Promise<void> {
    await this.tx.$executeRaw`
      INSERT INTO employees (id, tenant_id, code, name, kana, department_id, locale, active, emails, mobiles, work_prefecture, home_prefecture,
                             lineworks_id, updated_at)
      SELECT r.id, ${this.tenantId}::uuid, r.code, r.name, r.kana, r.department_id, r.locale, r.active, r.emails, r.mobiles,
             r.work_prefecture, r.home_prefecture, r.lineworks_id, now()
      FROM jsonb_to_recordset(${JSON.stringify(writes)}::jsonb)
        AS r(id uuid, code text, name text, kana text, department_id uuid, locale text, active boolean, emails text[], mobiles text[],
             work_prefecture smallint, home_prefecture smallint, lineworks_id text)
      ON CONFLICT (tenant_id, code) DO UPDATE SET
        name = EXCLUDED.name, kana = EXCLUDED.kana, department_id = EXCLUDED.department_id, locale = EXCLUDED.locale,
        active = EXCLUDED.active, emails = EXCLUDED.emails, mobiles = EXCLUDED.mobiles,
        work_prefecture = EXCLUDED.work_prefecture, home_prefecture = EXCLUDED.home_prefecture, lineworks_id = EXCLUDED.lineworks_id,
        updated_at = now()`;
    const withAdditional = writes.filter((w) => w.additional !== null);
    if (withAdditional.length === 0) return;
    await this.tx.employeeDepartment.deleteMany({ where: { tenantId: this.tenantId, employeeId: { in: withAdditional.map((w) => w.id) } } });
    await this.tx.employeeDepartment.createMany({
      data: withAdditional.flatMap((w) => w.additional!.map((departmentId) => ({ tenantId: this.tenantId, employeeId: w.id, departmentId }))),
    });
  }

  private departmentCodes(row: ParsedRow): [string, Column][] {
    return [
      ...(row.departmentCode ? [[row.departmentCode, 'department_code'] as [string, Column]] : []),
      ...(row.additionalDepartmentCodes ?? []).map((code) => [code, 'additional_department_codes'] as [string, Column]),
    ];
  }

  private unknown(row: ParsedRow, code: string, column: Column): void {
    this.error({ row: row.row, column: this.label(column), value: code, reason: UNKNOWN_DEPARTMENT });
  }

  /** Department ids for the row's codes; with createDepartments, unknown codes become top-level departments. */
  private async resolveDepartments(row: ParsedRow): Promise<{ departmentId?: string | null; additional?: string[] } | null> {
    let ok = true;
    const lookup = async (code: string, column: Column, name?: string | null): Promise<string | null> => {
      const known = this.departments.get(code);
      if (known) return known;
      if (!this.options.createDepartments) {
        ok = false;
        this.unknown(row, code, column);
        return null;
      }
      const id = randomUUID();
      await this.tx.department.create({ data: { id, tenantId: this.tenantId, code, name: name || code, parentId: null, path: [id] } });
      this.departments.set(code, id);
      this.report.departmentsCreated++;
      return id;
    };
    const result: { departmentId?: string | null; additional?: string[] } = {};
    if (row.departmentCode !== undefined)
      result.departmentId = row.departmentCode ? await lookup(row.departmentCode, 'department_code', row.departmentName) : null;
    if (row.additionalDepartmentCodes !== undefined) {
      result.additional = [];
      for (const code of row.additionalDepartmentCodes) {
        const id = await lookup(code, 'additional_department_codes');
        if (id && id !== result.departmentId) result.additional.push(id);
      }
    }
    return ok ? result : null;
  }

  private async existing(codes: string[]): Promise<Map<string, Existing>> {
    const rows = await this.tx.$queryRaw<Existing[]>`
      SELECT e.id, e.code, e.name, e.kana, e.department_id, e.locale, e.active, e.emails, e.mobiles, e.work_prefecture, e.home_prefecture, e.lineworks_id,
             coalesce((SELECT array_agg(d.department_id::text) FROM employee_departments d WHERE d.employee_id = e.id), '{}') AS additional
      FROM employees e
      WHERE e.tenant_id = ${this.tenantId}::uuid AND e.code = ANY(${codes}::text[])`;
    return new Map(rows.map((r) => [r.code, r]));
  }

  private async deactivateMissing(): Promise<number> {
    const codes = [...this.seen.keys()];
    if (!this.writing) {
      const [row] = await this.tx.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM employees
        WHERE tenant_id = ${this.tenantId}::uuid AND active AND erased_at IS NULL AND NOT (code = ANY(${codes}::text[]))`;
      return row?.n ?? 0;
    }
    return this.tx.$executeRaw`
      UPDATE employees SET active = false, updated_at = now()
      WHERE tenant_id = ${this.tenantId}::uuid AND active AND erased_at IS NULL AND NOT (code = ANY(${codes}::text[]))`;
  }
}

function echoed(value: string | null): string | null {
  return value !== null && value.length > MAX_ECHOED_VALUE ? `${value.slice(0, MAX_ECHOED_VALUE)}…` : value;
}

function differs(before: Existing, target: Target): boolean {
  return (
    before.name !== target.name ||
    before.kana !== target.kana ||
    before.department_id !== target.department_id ||
    before.locale !== target.locale ||
    before.active !== target.active ||
    before.work_prefecture !== target.work_prefecture ||
    before.home_prefecture !== target.home_prefecture ||
    before.lineworks_id !== target.lineworks_id ||
    !sameList(before.emails, target.emails) ||
    !sameList(before.mobiles, target.mobiles) ||
    (target.additional !== null && !sameList([...before.additional].sort(), [...target.additional].sort()))
  );
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
