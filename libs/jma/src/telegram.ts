import type { Hazard } from './levels.js';

/** The telegram types anpi reads; anything else is stored as ignored. */
export type TelegramKind = 'VXSE51' | 'VXSE52' | 'VXSE53' | 'VTSE41' | 'VPWW54';

/** What anpi keeps of a telegram: enough to decide, to title an alert and to explain itself. */
export interface TelegramSummary {
  kind: TelegramKind;
  hazard: Hazard | null;
  /** Control/Title, e.g. 震度速報. */
  title: string;
  /** 通常 (real), 訓練 (drill), 試験 (test: never acted on). */
  status: '通常' | '訓練' | '試験';
  /** 発表, 訂正 (correction), 取消 (cancellation). */
  infoType: '発表' | '訂正' | '取消';
  /** Head/EventID: one quake across VXSE51/52/53 and VTSE41; null for weather warnings. */
  eventId: string | null;
  serial: number | null;
  reportedAt: string;
  headline: string;
  /** The hazard's level per prefecture (JIS X 0401 code as the key); see levels.ts. */
  levels: Record<string, number>;
  maxLevel: number;
  /** Earthquakes (VXSE53): the epicentre's name and the magnitude as JMA writes them. */
  epicenter?: string;
  magnitude?: string;
  /** Where it is strongest, for the title when there is no epicentre (VXSE51, VTSE41, VPWW54). */
  strongestArea?: string;
  /** Special warnings: their names (大雨特別警報 …). */
  warnings?: string[];
}

export type ParseResult = { ok: true; summary: TelegramSummary } | { ok: false; reason: string; kind?: TelegramKind };
