/**
 * The columns of HR's employee files, by the names Japanese HR exports use and their English
 * equivalents. Export writes "日本語 / english" headers; import accepts either half or both.
 */
export const COLUMNS = {
  code: { ja: '社員番号', aliases: ['社員番号', '社員コード', '従業員番号', '社員no', 'employee_code', 'employeecode', 'code'] },
  name: { ja: '氏名', aliases: ['氏名', '名前', '社員名', 'name', 'full_name'] },
  kana: { ja: 'フリガナ', aliases: ['フリガナ', 'ふりがな', 'カナ', '氏名カナ', '氏名(カナ)', 'kana', 'name_kana'] },
  department_code: { ja: '部署コード', aliases: ['部署コード', '所属コード', '所属部署コード', 'department_code', 'departmentcode'] },
  department_name: { ja: '部署名', aliases: ['部署名', '所属部署', '所属', 'department_name', 'department'] },
  additional_department_codes: { ja: '兼務部署コード', aliases: ['兼務部署コード', '兼務部署', 'additional_department_codes', 'additional_departments'] },
  email: { ja: 'メール', aliases: ['メール', 'メールアドレス', 'メール1', 'email', 'email1', 'e-mail', 'mail'] },
  email2: { ja: 'メール2', aliases: ['メール2', 'メールアドレス2', 'email2'] },
  email3: { ja: 'メール3', aliases: ['メール3', 'メールアドレス3', 'email3'] },
  mobile: { ja: '携帯電話', aliases: ['携帯電話', '携帯電話番号', '携帯番号', '携帯', '携帯電話1', 'mobile', 'mobile1', 'mobile_phone', 'phone'] },
  mobile2: { ja: '携帯電話2', aliases: ['携帯電話2', '携帯番号2', 'mobile2'] },
  mobile3: { ja: '携帯電話3', aliases: ['携帯電話3', '携帯番号3', 'mobile3'] },
  locale: { ja: '言語', aliases: ['言語', 'locale', 'language'] },
  active: { ja: '在籍', aliases: ['在籍', '在籍区分', '有効', 'active', 'status'] },
  work_prefecture: { ja: '勤務地都道府県', aliases: ['勤務地都道府県', '勤務地', '勤務先都道府県', 'work_prefecture'] },
  lineworks_id: { ja: 'LINE WORKS ID', aliases: ['LINE WORKS ID', 'LINEWORKS ID', 'LINE WORKSのID', 'lineworks_id', 'lineworks'] },
  home_prefecture: { ja: '居住地都道府県', aliases: ['居住地都道府県', '居住地', '住所都道府県', 'home_prefecture'] },
} as const;

export type Column = keyof typeof COLUMNS;

/** The order export writes and docs/directory.md documents. */
export const EXPORT_COLUMNS: Column[] = [
  'code',
  'name',
  'kana',
  'department_code',
  'department_name',
  'additional_department_codes',
  'email',
  'email2',
  'email3',
  'mobile',
  'mobile2',
  'mobile3',
  'locale',
  'active',
  'work_prefecture',
  'home_prefecture',
  'lineworks_id',
];

export function headerOf(column: Column): string {
  return `${COLUMNS[column].ja} / ${column}`;
}

const lookup = new Map<string, Column>();
for (const [column, { aliases }] of Object.entries(COLUMNS) as [Column, { aliases: readonly string[] }][]) {
  for (const alias of aliases) lookup.set(squash(alias), column);
}

function squash(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-・]/g, '');
}

/** The column a header cell names: "社員番号", "employee_code", "社員番号 / employee_code". */
export function columnOf(header: string): Column | null {
  const whole = lookup.get(squash(header));
  if (whole) return whole;
  for (const part of header.split(/[/／|]/)) {
    const column = lookup.get(squash(part));
    if (column) return column;
  }
  return null;
}

/** Spreadsheet conventions for "active": 1/0, true/false, 在籍/退職, yes/no. */
export function parseActive(value: string): boolean | null {
  const v = value.normalize('NFKC').trim().toLowerCase();
  if (['1', 'true', 'yes', 'y', '在籍', '有効', '○', '〇', 'active'].includes(v)) return true;
  if (['0', 'false', 'no', 'n', '退職', '休職', '無効', '×', 'inactive'].includes(v)) return false;
  return null;
}
