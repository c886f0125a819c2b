import { csvCell as cell } from '#anpi/validation';
import { prefectureName } from '#anpi/regions';
import { Injectable } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, type TenantId } from '#anpi/db';
import { EXPORT_COLUMNS, headerOf } from './columns.js';

const PAGE = 2000;
const BOM = '\uFEFF';

/**
 * The directory as CSV, in the columns import reads: UTF-8 with a BOM so Excel opens it cleanly,
 * CRLF line ends, streamed page by page (keyset on the employee code).
 */
@Injectable()
export class EmployeeExporter {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditLog,
  ) {}

  async *csv(tenantId: TenantId, actor: Actor): AsyncGenerator<string> {
    yield BOM + EXPORT_COLUMNS.map((c) => cell(headerOf(c))).join(',') + '\r\n';
    let after = '';
    let count = 0;
    for (;;) {
      const page = await this.db.run(tenantId, async (tx) => {
        const rows = await tx.employee.findMany({
          where: { tenantId, erasedAt: null, code: { gt: after } },
          orderBy: { code: 'asc' },
          take: PAGE,
          include: { department: true, additionalDepartments: { include: { department: true } } },
        });
        return rows;
      });
      if (page.length === 0) break;
      let chunk = '';
      for (const e of page) {
        const values: Record<(typeof EXPORT_COLUMNS)[number], string> = {
          code: e.code,
          name: e.name,
          kana: e.kana ?? '',
          department_code: e.department?.code ?? '',
          department_name: e.department?.name ?? '',
          additional_department_codes: e.additionalDepartments
            .map((a) => a.department.code)
            .sort()
            .join(';'),
          email: e.emails[0] ?? '',
          email2: e.emails[1] ?? '',
          email3: e.emails[2] ?? '',
          mobile: e.mobiles[0] ?? '',
          mobile2: e.mobiles[1] ?? '',
          mobile3: e.mobiles[2] ?? '',
          locale: e.locale,
          active: e.active ? '1' : '0',
          work_prefecture: e.workPrefecture ? prefectureName(e.workPrefecture) : '',
          home_prefecture: e.homePrefecture ? prefectureName(e.homePrefecture) : '',
          lineworks_id: e.lineworksId ?? '',
        };
        chunk += EXPORT_COLUMNS.map((c) => cell(values[c])).join(',') + '\r\n';
      }
      count += page.length;
      after = page[page.length - 1]!.code;
      yield chunk;
    }
    await this.db.run(tenantId, (tx) =>
      this.audit.record(tx, tenantId, actor, { action: 'employees.export', resourceType: 'employee', details: { rows: count } }),
    );
  }
}

/**
 * Quotes when needed, and puts an apostrophe before a leading = + - @ so Excel shows the text
 * instead of evaluating it (+81… would otherwise become a number); import removes it again.
 */
