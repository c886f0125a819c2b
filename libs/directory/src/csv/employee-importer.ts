import type { Readable } from 'node:stream';
import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import { CsvError, parse } from 'csv-parse';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, type TenantId } from '#anpi/db';
import { COLUMNS, columnOf, type Column } from './columns.js';
import type { ImportReport } from './import-report.js';
import { ImportRun, type ImportOptions } from './import-run.js';
import { RowParser, type RowError } from './row-parser.js';
import { JapaneseTextDecoder, UnsupportedEncodingError } from './text-decoding.js';
import { BadRequestError } from '#anpi/errors';

export type { ImportOptions } from './import-run.js';

class Rollback extends Error {}

/**
 * Imports HR's employee CSV: streamed, written in batches, all in one transaction, so a file with
 * any error writes nothing and a dry run reports exactly what a real run would do.
 */
@Injectable()
export class EmployeeImporter {
  private readonly logger = new Logger(EmployeeImporter.name);

  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditLog,
  ) {}

  async import(tenantId: TenantId, actor: Actor, source: Readable, options: ImportOptions): Promise<ImportReport> {
    const decoder = new JapaneseTextDecoder();
    // A record the CSV parser cannot read (an unclosed or stray quote) is skipped and reported as a
    // row error, like any other bad row, rather than failing the whole request.
    const records = source.pipe(decoder).pipe(parse({ skip_empty_lines: true, relax_column_count: true, skip_records_with_error: true, info: true }));
    const unreadable: RowError[] = [];
    records.on('skip', (error: CsvError) => unreadable.push({ row: Number(error.lines), column: null, value: null, reason: csvProblem(error) }));
    source.on('error', (e) => records.destroy(e));
    decoder.on('error', (e) => records.destroy(e));
    const iterator = records[Symbol.asyncIterator]() as AsyncIterator<CsvRecord>;
    const report: ImportReport = {
      dryRun: options.dryRun,
      applied: false,
      encoding: 'utf-8',
      rows: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      deactivated: 0,
      departmentsCreated: 0,
      errorCount: 0,
      errors: [],
      ignoredColumns: [],
    };

    try {
      const { parser, label } = readHeader((await next(iterator))?.record ?? null, report, () => decoder.encoding === 'shift_jis');
      await this.db.run(
        tenantId,
        async (tx) => {
          const run = await ImportRun.start(tx, tenantId, options, report, label);
          for (let next_ = await next(iterator); next_; next_ = await next(iterator)) {
            report.rows++;
            unreadable.splice(0).forEach((e) => run.error(e));
            const { parsed, errors } = parser.parse(next_.record, rowOf(next_));
            if (parsed) await run.add(parsed, errors);
            else errors.forEach((e) => run.error(e));
          }
          report.rows += unreadable.length;
          unreadable.splice(0).forEach((e) => run.error(e));
          await run.finish();
          report.encoding = decoder.encoding ?? 'utf-8';
          if (options.dryRun || !run.clean) throw new Rollback();
          report.applied = true;
          await this.audit.record(tx, tenantId, actor, { action: 'employees.import', resourceType: 'employee', details: counts(report) });
        },
        { timeout: 10 * 60_000 },
      );
    } catch (error) {
      if (error instanceof UnsupportedEncodingError) throw badFile(error.message);
      if (error instanceof Error && error.name === 'CsvError') throw badFile(`The file is not valid CSV: ${error.message}`);
      if (!(error instanceof Rollback)) throw error;
      // Nothing was written; the attempt itself is still on record.
      await this.db.run(tenantId, (tx) =>
        this.audit.record(tx, tenantId, actor, {
          action: options.dryRun ? 'employees.import_dry_run' : 'employees.import_rejected',
          resourceType: 'employee',
          details: counts(report),
        }),
      );
    }
    this.logger.log({ msg: 'employee import', tenantId, ...counts(report) });
    return report;
  }
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/** The row a spreadsheet shows the record on: the line it starts on (the header is row 1). */
function rowOf({ record, info }: CsvRecord): number {
  return info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
}

function csvProblem(error: CsvError): string {
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted cell is not closed: a " opens a cell that never ends (the rest of the file was read into it)';
  if (error.code === 'INVALID_OPENING_QUOTE' || error.code === 'CSV_INVALID_CLOSING_QUOTE')
    return 'a " inside a cell must be written as "" and the cell quoted as a whole';
  return `cannot be read as CSV: ${error.message}`;
}

function readHeader(header: string[] | null, report: ImportReport, shiftJis: () => boolean): { parser: RowParser; label: (c: Column) => string } {
  if (!header) throw badFile('The file is empty: expected a header row (社員番号, 氏名, …)');
  const columns = new Map<Column, number>();
  header.forEach((cell, index) => {
    const column = columnOf(cell);
    if (column && !columns.has(column)) columns.set(column, index);
    else if (cell.trim()) report.ignoredColumns.push(cell);
  });
  const missing = (['code', 'name'] as const).filter((c) => !columns.has(c));
  if (missing.length) {
    throw badFile(
      `The header lacks ${missing.map((c) => `${COLUMNS[c].ja} (${c === 'code' ? 'employee_code' : c})`).join(' and ')}; found: ${header.join(', ')}`,
    );
  }
  return { parser: new RowParser(columns, header, shiftJis), label: (column) => header[columns.get(column) ?? -1] ?? COLUMNS[column].ja };
}

function counts(report: ImportReport) {
  const { rows, created, updated, unchanged, deactivated, departmentsCreated, errorCount, encoding } = report;
  return { rows, created, updated, unchanged, deactivated, departmentsCreated, errorCount, encoding };
}

async function next(iterator: AsyncIterator<CsvRecord>): Promise<CsvRecord | null> {
  const { value, done } = await iterator.next();
  return done ? null : value;
}

function badFile(message: string): BadRequestException {
  return new BadRequestError(message, 'invalid_file');
}
