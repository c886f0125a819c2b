import { createWriteStream } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { json, type Service } from './support.js';

const SURNAMES = [
  '山田',
  '佐藤',
  '鈴木',
  '高橋',
  '田中',
  '伊藤',
  '渡辺',
  '山本',
  '中村',
  '小林',
  '加藤',
  '吉田',
  '山口',
  '松本',
  '井上',
  '木村',
  '林',
  '斎藤',
  '清水',
  '山崎',
];
const SURNAME_KANA = [
  'ヤマダ',
  'サトウ',
  'スズキ',
  'タカハシ',
  'タナカ',
  'イトウ',
  'ワタナベ',
  'ヤマモト',
  'ナカムラ',
  'コバヤシ',
  'カトウ',
  'ヨシダ',
  'ヤマグチ',
  'マツモト',
  'イノウエ',
  'キムラ',
  'ハヤシ',
  'サイトウ',
  'シミズ',
  'ヤマザキ',
];
const GIVEN = ['太郎', '花子', '一郎', '美咲', '健太', 'さくら', '翔', '陽子', '大輔', '愛'];
const GIVEN_KANA = ['タロウ', 'ハナコ', 'イチロウ', 'ミサキ', 'ケンタ', 'サクラ', 'ショウ', 'ヨウコ', 'ダイスケ', 'アイ'];

export interface ImportResult {
  rows: number;
  fileMiB: number;
  dryRunSeconds: number;
  importSeconds: number;
  reimportUnchangedSeconds: number;
  apiPeakRssMiB: number;
  rowsPerSecond: number;
}

/** A department tree about 5 levels deep with `count` departments, created through the API. */
export async function createDepartments(api: Service, token: string, count: number): Promise<string[]> {
  const codes: string[] = [];
  const ids: string[] = [];
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  for (let i = 0; i < count; i++) {
    // Parent: the tree grows breadth-first with ~6 children per node, giving 5 levels at ~1,000.
    const parentIndex = i === 0 ? -1 : Math.floor((i - 1) / 6);
    const code = `D${String(i).padStart(5, '0')}`;
    const body = JSON.stringify({ code, name: `部署${i}`, parentId: parentIndex >= 0 ? ids[parentIndex] : undefined });
    const created = await json<{ id: string }>(await fetch(`${api.url}/v1/departments`, { method: 'POST', headers, body }));
    ids.push(created.id);
    codes.push(code);
  }
  return codes;
}

/** A directory CSV of `rows` employees (all with an email, half with a mobile) across the departments. */
export async function writeCsv(file: string, rows: number, departmentCodes: string[]): Promise<void> {
  const out = createWriteStream(file);
  out.write('\uFEFF社員番号,氏名,フリガナ,部署コード,メール,携帯電話\r\n');
  for (let i = 0; i < rows; i++) {
    const s = i % SURNAMES.length;
    const g = Math.floor(i / SURNAMES.length) % GIVEN.length;
    const mobile = i % 2 === 0 ? `090-${String(1000 + (i % 9000)).padStart(4, '0')}-${String(i % 10000).padStart(4, '0')}` : '';
    const cells = [
      `B${String(i).padStart(7, '0')}`,
      `${SURNAMES[s]} ${GIVEN[g]}`,
      `${SURNAME_KANA[s]} ${GIVEN_KANA[g]}`,
      departmentCodes[i % departmentCodes.length],
      `emp${i}@bench.example`,
      mobile,
    ];
    const line = `${cells.join(',')}\r\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Import of `rows` employees: dry run, real import, and a re-import where nothing changes. */
export async function importScenario(api: Service, token: string, rows: number, departmentCodes: string[]): Promise<ImportResult> {
  const file = path.join(tmpdir(), `anpi-bench-${process.pid}.csv`);
  await writeCsv(file, rows, departmentCodes);
  const body = await readFile(file);
  const upload = async (query: string) => {
    const started = performance.now();
    const report = await json<{ created: number; updated: number; unchanged: number; errorCount: number }>(
      await fetch(`${api.url}/v1/employees/import${query}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/csv' },
        body,
      }),
    );
    if (report.errorCount) throw new Error(`import reported ${report.errorCount} errors`);
    return { seconds: (performance.now() - started) / 1000, report };
  };
  const dry = await upload('?dryRun=true');
  const real = await upload('');
  if (real.report.created !== rows) throw new Error(`created ${real.report.created}, expected ${rows}`);
  const again = await upload('');
  if (again.report.unchanged !== rows) throw new Error(`re-import: ${again.report.unchanged} unchanged, expected ${rows}`);
  const fileMiB = (await stat(file)).size / 1024 / 1024;
  await rm(file);
  return {
    rows,
    fileMiB: round(fileMiB),
    dryRunSeconds: round(dry.seconds),
    importSeconds: round(real.seconds),
    reimportUnchangedSeconds: round(again.seconds),
    apiPeakRssMiB: round(api.peakRssMiB()),
    rowsPerSecond: Math.round(rows / real.seconds),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
