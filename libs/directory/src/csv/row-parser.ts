import { unsafeTextReason } from '#anpi/validation';
import { CODE_PATTERN } from '../dto/department.dto.js';
import { normalizeMobile } from '../phone-number.js';
import { toKatakana } from '../search-terms.js';
import { COLUMNS, parseActive, type Column } from './columns.js';
import { PREFECTURE_HINT, parsePrefecture } from '#anpi/regions';

export interface RowError {
  /** Line of the file as a spreadsheet numbers it: the header is row 1. */
  row: number;
  column: string | null;
  value: string | null;
  reason: string;
}

/** The fields one CSV row sets; undefined means "the file has no such column: keep as is". */
export interface ParsedRow {
  row: number;
  code: string;
  name: string;
  kana?: string | null;
  departmentCode?: string | null;
  departmentName?: string | null;
  additionalDepartmentCodes?: string[];
  emails?: string[];
  mobiles?: string[];
  locale?: 'ja' | 'en';
  active?: boolean;
  workPrefecture?: number | null;
  homePrefecture?: number | null;
  /** null: an empty cell (LINE WORKS gets the first email). */
  lineworksId?: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A login id (an address-like id) or a user id: no spaces, at most 100 characters. */
export const LINEWORKS_ID = /^[^\s,;]{1,100}$/;

/** Maps one record to fields, by the header's columns. Errors name the row, column, value and reason. */
export class RowParser {
  constructor(
    private readonly columns: Map<Column, number>,
    private readonly headers: string[],
    /** Whether the file was decoded from Shift_JIS (where U+FFFD can only mean bytes that did not decode). */
    private readonly shiftJis: () => boolean = () => false,
  ) {}

  /** `parsed` is null only when the row cannot be read at all; with errors it is for reporting only. */
  parse(record: string[], row: number): { parsed: ParsedRow | null; errors: RowError[] } {
    const errors: RowError[] = [];
    const cell = (column: Column): string | undefined => {
      const index = this.columns.get(column);
      return index === undefined ? undefined : clean(record[index] ?? '');
    };
    const fail = (column: Column, value: string | null, reason: string) =>
      errors.push({ row, column: this.headers[this.columns.get(column)!] ?? COLUMNS[column].ja, value, reason });

    if (record.length !== this.headers.length) {
      errors.push({ row, column: null, value: null, reason: `has ${record.length} columns; the header has ${this.headers.length}` });
      return { parsed: null, errors };
    }

    // Text no later step can hold, in any column (read or not): the dry run refuses exactly what
    // the real import would.
    let unreadable = false;
    record.forEach((value, index) => {
      const reason =
        unsafeTextReason(value) ??
        (this.shiftJis() && value.includes('\uFFFD') ? 'holds bytes that are not Shift_JIS (shown as �); save the file again as "CSV UTF-8"' : null);
      if (!reason) return;
      unreadable = true;
      errors.push({ row, column: this.headers[index] ?? null, value: value.replaceAll('\u0000', '\\0'), reason });
    });
    if (unreadable) return { parsed: null, errors };

    const code = cell('code') ?? '';
    if (!code) fail('code', code, '社員番号 is required / employee_code is required');
    else if (!CODE_PATTERN.test(code)) fail('code', code, 'must be 1-64 characters without spaces, commas, semicolons or quotes');
    const name = cell('name') ?? '';
    if (!name) fail('name', name, '氏名 is required / name is required');
    else if (name.length > 100) fail('name', name, 'must be at most 100 characters');

    const parsed: ParsedRow = { row, code, name };
    const kana = cell('kana');
    if (kana !== undefined) {
      if (kana.length > 100) fail('kana', kana, 'must be at most 100 characters');
      parsed.kana = kana ? toKatakana(kana) : null;
    }
    const department = cell('department_code');
    if (department !== undefined) parsed.departmentCode = department || null;
    const departmentName = cell('department_name');
    if (departmentName !== undefined) parsed.departmentName = departmentName || null;
    const additional = cell('additional_department_codes');
    if (additional !== undefined)
      parsed.additionalDepartmentCodes = [
        ...new Set(
          additional
            .split(/[;；|]/)
            .map((c) => c.trim())
            .filter(Boolean),
        ),
      ];

    const emailColumns = (['email', 'email2', 'email3'] as const).filter((c) => this.columns.has(c));
    if (emailColumns.length > 0) {
      parsed.emails = [];
      for (const column of emailColumns) {
        const value = cell(column)!.toLowerCase();
        if (!value) continue;
        if (!EMAIL.test(value) || value.length > 254) fail(column, value, 'is not an email address');
        else if (!parsed.emails.includes(value)) parsed.emails.push(value);
      }
    }
    const mobileColumns = (['mobile', 'mobile2', 'mobile3'] as const).filter((c) => this.columns.has(c));
    if (mobileColumns.length > 0) {
      parsed.mobiles = [];
      for (const column of mobileColumns) {
        const value = cell(column)!;
        if (!value) continue;
        const result = normalizeMobile(value);
        if (!result.ok) fail(column, value, result.reason);
        else if (!parsed.mobiles.includes(result.e164)) parsed.mobiles.push(result.e164);
      }
    }
    const lineworksId = cell('lineworks_id');
    if (lineworksId !== undefined) {
      if (lineworksId && !LINEWORKS_ID.test(lineworksId))
        fail('lineworks_id', lineworksId, 'is not a LINE WORKS id (login id or user id, up to 100 characters)');
      else parsed.lineworksId = lineworksId || null;
    }
    const locale = cell('locale');
    if (locale) {
      const l = locale.toLowerCase();
      if (l === 'ja' || l === '日本語') parsed.locale = 'ja';
      else if (l === 'en' || l === '英語' || l === 'english') parsed.locale = 'en';
      else fail('locale', locale, 'must be ja or en');
    }
    const active = cell('active');
    if (active) {
      const value = parseActive(active);
      if (value === null) fail('active', active, 'must be 1 or 0 (在籍/退職, true/false)');
      else parsed.active = value;
    }
    for (const [column, field] of [
      ['work_prefecture', 'workPrefecture'],
      ['home_prefecture', 'homePrefecture'],
    ] as const) {
      const value = cell(column);
      if (value === undefined) continue;
      const code = value ? parsePrefecture(value) : null;
      if (value && code === null) fail(column, value, `must be ${PREFECTURE_HINT}`);
      else parsed[field] = code;
    }
    return { parsed, errors };
  }
}

/** Trims and undoes the apostrophe export puts before cells Excel would read as formulas. */
function clean(value: string): string {
  const trimmed = value.normalize('NFKC').trim();
  return /^'[=+\-@]/.test(trimmed) ? trimmed.slice(1) : trimmed;
}
