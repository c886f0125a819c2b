import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isPrefectureCode, tsunamiAreaPrefectures } from '#anpi/regions';
import { intensityLevel } from './levels.js';
import type { ParseResult, TelegramKind, TelegramSummary } from './telegram.js';

/** Control/Title of each telegram type anpi reads (気象庁防災情報XML, 技術資料). */
const KINDS: Record<string, TelegramKind> = {
  震度速報: 'VXSE51',
  震源に関する情報: 'VXSE52',
  震源・震度に関する情報: 'VXSE53',
  '津波警報・注意報・予報a': 'VTSE41',
  '気象特別警報・警報・注意報': 'VPWW54',
};

/** 津波警報等の種類 (Category/Kind/Code): 大津波警報 (発表, 継続), 津波警報, 津波注意報. */
const TSUNAMI_KIND_LEVELS: Record<string, number> = { '52': 3, '53': 3, '51': 2, '62': 1 };
/** 特別警報 kinds (Kind/Code): 暴風雪, 大雨, 暴風, 大雪, 波浪, 高潮. */
const SPECIAL_WARNING_CODES = new Set(['32', '33', '35', '36', '37', '38']);
/** A station too damaged to report is not a weak quake: JMA says 震度５弱以上未入電, anpi reads 5弱. */
const UNREPORTED_STRONG = /震度[５5]弱以上未入電/;
const FIVE_LOWER = intensityLevel('5-');

const REPEATED = new Set(['Pref', 'Area', 'City', 'IntensityStation', 'Item', 'Warning', 'Kind', 'Information']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => REPEATED.has(name),
});

type Node = Record<string, unknown>;

/**
 * Reads one JMA telegram (気象庁防災情報XML): type, status, InfoType, EventID and the hazard's
 * level per prefecture. An unreadable telegram is refused with the reason; one of a type anpi
 * does not act on is `ignored`.
 */
export function parseTelegram(xml: string): ParseResult & { ignored?: boolean } {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, reason: `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})` };
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (error) {
    return { ok: false, reason: `not readable as XML: ${(error as Error).message}` };
  }
  const report = node(doc.Report);
  const control = node(report?.Control);
  const head = node(report?.Head);
  if (!report || !control || !head) return { ok: false, reason: 'not a JMA telegram: Report/Control and Report/Head are required' };
  const title = text(control.Title);
  const kind = KINDS[title];
  if (!kind) return { ok: false, ignored: true, reason: `a telegram anpi does not act on (Control/Title 「${title}」)` };
  const status = text(control.Status);
  if (status !== '通常' && status !== '訓練' && status !== '試験') return { ok: false, kind, reason: `Control/Status 「${status}」 is not 通常, 訓練 or 試験` };
  const infoType = text(head.InfoType);
  if (infoType !== '発表' && infoType !== '訂正' && infoType !== '取消')
    return { ok: false, kind, reason: `Head/InfoType 「${infoType}」 is not 発表, 訂正 or 取消` };
  const reported = new Date(text(head.ReportDateTime));
  if (Number.isNaN(reported.getTime())) return { ok: false, kind, reason: 'Head/ReportDateTime is missing or not a date' };
  const eventId = text(head.EventID) || null;
  if (kind !== 'VPWW54' && !eventId) return { ok: false, kind, reason: 'Head/EventID is required for earthquake and tsunami telegrams' };

  const serial = Number.parseInt(text(head.Serial), 10);
  const summary: TelegramSummary = {
    kind,
    hazard: kind === 'VTSE41' ? 'tsunami' : kind === 'VPWW54' ? 'special_warning' : kind === 'VXSE52' ? null : 'earthquake',
    title,
    status,
    infoType,
    eventId,
    serial: Number.isNaN(serial) ? null : serial,
    reportedAt: reported.toISOString(),
    headline: text(node(head.Headline)?.Text),
    levels: {},
    maxLevel: 0,
  };
  const body = node(report.Body);
  if (infoType !== '取消' && body) {
    if (summary.hazard === 'earthquake') readIntensities(body, summary);
    else if (summary.hazard === 'tsunami') readTsunami(body, summary);
    else if (summary.hazard === 'special_warning') readSpecialWarnings(body, summary);
  }
  summary.maxLevel = Math.max(0, ...Object.values(summary.levels));
  return { ok: true, summary };
}

function readIntensities(body: Node, summary: TelegramSummary): void {
  const quake = node(body.Earthquake);
  const hypocenter = node(list(node(quake?.Hypocenter)?.Area)[0]);
  if (hypocenter) summary.epicenter = text(hypocenter.Name);
  if (quake?.Magnitude !== undefined) summary.magnitude = text(node(quake.Magnitude)?.['@description'] ?? quake.Magnitude);
  let strongest = 0;
  for (const pref of list(node(node(body.Intensity)?.Observation)?.Pref).map(node)) {
    const code = Number.parseInt(text(pref?.Code), 10);
    if (!pref || !isPrefectureCode(code)) continue;
    let level = intensityLevel(text(pref.MaxInt));
    if (UNREPORTED_STRONG.test(JSON.stringify(pref))) level = Math.max(level, FIVE_LOWER);
    summary.levels[code] = Math.max(summary.levels[code] ?? 0, level);
    for (const area of list(pref.Area).map(node)) {
      const areaLevel = intensityLevel(text(area?.MaxInt));
      if (area && areaLevel > strongest) {
        strongest = areaLevel;
        summary.strongestArea = text(area.Name);
      }
    }
  }
}

function readTsunami(body: Node, summary: TelegramSummary): void {
  let strongest = 0;
  for (const item of list(node(node(body.Tsunami)?.Forecast)?.Item).map(node)) {
    const area = node(list(item?.Area)[0]);
    const level = TSUNAMI_KIND_LEVELS[text(node(list(node(item?.Category)?.Kind)[0])?.Code)] ?? 0;
    if (!area || level === 0) continue;
    for (const pref of tsunamiAreaPrefectures(text(area.Code), text(area.Name))) summary.levels[pref] = Math.max(summary.levels[pref] ?? 0, level);
    if (level > strongest) {
      strongest = level;
      summary.strongestArea = text(area.Name);
    }
  }
}

function readSpecialWarnings(body: Node, summary: TelegramSummary): void {
  const names = new Set<string>();
  for (const warning of list(body.Warning).map(node)) {
    for (const item of list(warning?.Item).map(node)) {
      const area = node(list(item?.Area)[0]);
      const code = Number.parseInt(text(area?.Code).slice(0, 2), 10);
      if (!isPrefectureCode(code)) continue;
      for (const kind of list(item?.Kind).map(node)) {
        const status = text(kind?.Status);
        if (!SPECIAL_WARNING_CODES.has(text(kind?.Code)) || (status !== '発表' && status !== '継続')) continue;
        summary.levels[code] = 1;
        names.add(text(kind?.Name));
        summary.strongestArea ??= text(area?.Name);
      }
    }
  }
  summary.warnings = [...names];
}

function node(value: unknown): Node | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** An element's text: fast-xml-parser gives a string, or an object with #text when it has attributes. */
function text(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  const inner = node(value)?.['#text'];
  return typeof inner === 'string' || typeof inner === 'number' ? String(inner).trim() : '';
}
