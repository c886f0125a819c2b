import { readFileSync } from 'node:fs';
import path from 'node:path';
import { specsDir } from './openapi-checker.js';

/**
 * JMA telegrams for tests and the benchmark: JMA's published samples (vendored in specs/jma; see
 * specs/SOURCES.md) and cases derived from them, as JMA would send them.
 */
const SPECS = path.join(specsDir(), 'jma');
export const SAMPLES = {
  /** 震度速報, 2011-03-11 (東北地方太平洋沖地震): max 6強, Pref → Area only. */
  vxse51: '32-39_11_01_120615_VXSE51.xml',
  /** 震源・震度に関する情報, 2010-07-05 岩手県沖: max 4 in 岩手県 and 宮城県, 18 prefectures. */
  vxse53: '32-35_08_07_100915_VXSE53.xml',
  /** A 訓練 (drill) 震源・震度に関する情報. */
  drill: '32-35_01_03_100806_VXSE53.xml',
  /** A 取消 (cancellation) of 遠地地震に関する情報. */
  cancel: '32-39_05_12_100915_VXSE53.xml',
} as const;

export function sample(name: keyof typeof SAMPLES): string {
  return readFileSync(path.join(SPECS, SAMPLES[name]), 'utf8');
}

/** Replaces one element's text (the first of that name, or all with `all`). */
function setElement(xml: string, element: string, value: string, all = false): string {
  const pattern = new RegExp(`<${element}>[^<]*</${element}>`, all ? 'g' : '');
  if (!pattern.test(xml)) throw new Error(`no <${element}> in the telegram`);
  return xml.replace(new RegExp(`<${element}>[^<]*</${element}>`, all ? 'g' : ''), `<${element}>${value}</${element}>`);
}

/**
 * A telegram derived from a sample, as JMA would send another case of it: another status, info
 * type, EventID, serial or report time (now by default, so the feed's age limit lets it act).
 */
export function derive(xml: string, change: { status?: string; infoType?: string; eventId?: string; serial?: number; reportedAt?: Date } = {}): string {
  let out = xml;
  if (change.status) out = setElement(out, 'Status', change.status);
  if (change.infoType) out = setElement(out, 'InfoType', change.infoType);
  if (change.eventId) out = setElement(out, 'EventID', change.eventId);
  if (change.serial !== undefined) out = setElement(out, 'Serial', String(change.serial));
  const at = jst(change.reportedAt ?? new Date());
  out = setElement(out, 'ReportDateTime', at);
  return out;
}

/** An ISO date in Japan time, as JMA writes it (2024-01-01T16:10:00+09:00). */
export function jst(date: Date): string {
  return new Date(date.getTime() + 9 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+09:00');
}

/**
 * An earthquake telegram with the given maximum intensity per prefecture: the VXSE51 sample's
 * structure (Pref → Area) with its Body's prefectures replaced. `unreported` prefectures carry a
 * city whose Condition is 震度５弱以上未入電, as in VXSE53.
 */
export function quake(
  levels: Record<string, string>,
  options: { eventId: string; infoType?: string; status?: string; serial?: number; unreported?: string[]; title?: 'VXSE51' | 'VXSE53' },
): string {
  const base = options.title === 'VXSE53' ? sample('vxse53') : sample('vxse51');
  const prefs = Object.entries(levels)
    .map(
      ([code, max]) => `<Pref><Name>P${code}</Name><Code>${code.padStart(2, '0')}</Code><MaxInt>${max}</MaxInt>
        <Area><Name>地域${code}</Name><Code>${Number(code) * 10}</Code><MaxInt>${max}</MaxInt>${
          options.unreported?.includes(code) ? `<City><Name>町${code}</Name><Code>${code}00000</Code><Condition>震度５弱以上未入電</Condition></City>` : ''
        }</Area></Pref>`,
    )
    .join('\n');
  const withBody = base.replace(
    /<Observation>[\s\S]*<\/Observation>/,
    `<Observation><MaxInt>${Object.values(levels)[0] ?? '1'}</MaxInt>${prefs}</Observation>`,
  );
  return derive(withBody, { eventId: options.eventId, infoType: options.infoType, status: options.status, serial: options.serial ?? 1 });
}

/**
 * A 津波警報・注意報・予報a (VTSE41) telegram. No sample of it is in the specs folder: this follows
 * the structure JMA's 技術資料 documents (Body/Tsunami/Forecast/Item with Area and
 * Category/Kind), with the Report/Control/Head of the samples.
 */
export function tsunami(
  areas: { code: string; name: string; kind: 'major' | 'warning' | 'advisory' }[],
  options: { eventId: string; status?: string },
): string {
  const kinds = { major: ['52', '大津波警報：発表'], warning: ['51', '津波警報'], advisory: ['62', '津波注意報'] } as const;
  const items = areas
    .map(
      (a) =>
        `<Item><Area><Name>${a.name}</Name><Code>${a.code}</Code></Area>` +
        `<Category><Kind><Name>${kinds[a.kind][1]}</Name><Code>${kinds[a.kind][0]}</Code></Kind>` +
        `<LastKind><Name>津波なし</Name><Code>00</Code></LastKind></Category></Item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Report xmlns="http://xml.kishou.go.jp/jmaxml1/" xmlns:jmx="http://xml.kishou.go.jp/jmaxml1/">
<Control><Title>津波警報・注意報・予報a</Title><DateTime>2024-01-01T07:12:00Z</DateTime><Status>${options.status ?? '通常'}</Status>
<EditorialOffice>気象庁本庁</EditorialOffice><PublishingOffice>気象庁</PublishingOffice></Control>
<Head xmlns="http://xml.kishou.go.jp/jmaxml1/informationBasis1/"><Title>大津波警報・津波警報・津波注意報・津波予報</Title>
<ReportDateTime>${jst(new Date())}</ReportDateTime><TargetDateTime>${jst(new Date())}</TargetDateTime><EventID>${options.eventId}</EventID>
<InfoType>発表</InfoType><Serial></Serial><InfoKind>津波警報・注意報・予報</InfoKind><InfoKindVersion>1.0_1</InfoKindVersion>
<Headline><Text>津波警報等を発表しました。</Text></Headline></Head>
<Body xmlns="http://xml.kishou.go.jp/jmaxml1/body/seismology1/"><Tsunami><Forecast>
<CodeDefine><Type xpath="Item/Area/Code">津波予報区</Type></CodeDefine>${items}</Forecast></Tsunami></Body></Report>`;
}

/**
 * A 気象特別警報・警報・注意報 (VPWW54) telegram with the given kinds per 府県予報区 (area code,
 * e.g. 400000 福岡県). Structure as documented in JMA's 技術資料 (Body/Warning/Item/Kind, Area).
 */
export function weatherWarning(items: { area: string; name: string; kinds: { code: string; name: string; status?: string }[] }[], status = '通常'): string {
  const body = items
    .map(
      (i) =>
        `<Item>${i.kinds.map((k) => `<Kind><Name>${k.name}</Name><Code>${k.code}</Code><Status>${k.status ?? '発表'}</Status></Kind>`).join('')}` +
        `<Area><Name>${i.name}</Name><Code>${i.area}</Code></Area></Item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Report xmlns="http://xml.kishou.go.jp/jmaxml1/" xmlns:jmx="http://xml.kishou.go.jp/jmaxml1/">
<Control><Title>気象特別警報・警報・注意報</Title><DateTime>2024-07-01T00:00:00Z</DateTime><Status>${status}</Status>
<EditorialOffice>福岡管区気象台</EditorialOffice><PublishingOffice>福岡管区気象台</PublishingOffice></Control>
<Head xmlns="http://xml.kishou.go.jp/jmaxml1/informationBasis1/"><Title>福岡県気象警報・注意報</Title>
<ReportDateTime>${jst(new Date())}</ReportDateTime><TargetDateTime>${jst(new Date())}</TargetDateTime><EventID></EventID>
<InfoType>発表</InfoType><Serial></Serial><InfoKind>気象警報・注意報</InfoKind><InfoKindVersion>1.1_0</InfoKindVersion>
<Headline><Text>大雨特別警報を発表します。</Text></Headline></Head>
<Body xmlns="http://xml.kishou.go.jp/jmaxml1/body/meteorology1/"><Warning type="気象警報・注意報（府県予報区等）">${body}</Warning></Body></Report>`;
}
