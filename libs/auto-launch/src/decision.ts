import type { Targets } from '#anpi/alerts';
import type { AutoLaunchRule } from '#anpi/db';
import { intensityLabel, levelLabel, minimumLevel, type Hazard, type TelegramSummary } from '#anpi/jma';
import { prefectureName } from '#anpi/regions';

export type RuleLike = Pick<
  AutoLaunchRule,
  | 'id'
  | 'kind'
  | 'minLevel'
  | 'prefectures'
  | 'target'
  | 'affectedBy'
  | 'departmentIds'
  | 'templateId'
  | 'holdMinutes'
  | 'includeDrillTelegrams'
  | 'suppressHours'
  | 'locationCheckMinutes'
>;

export interface RuleMatch {
  rule: RuleLike;
  /** The prefectures (JIS X 0401) in the rule's scope that met its minimum. */
  prefectures: number[];
}

/** Which of a tenant's rules a telegram meets, and in which prefectures. Rules come oldest first. */
export function matchRules(rules: RuleLike[], t: TelegramSummary): RuleMatch[] {
  const drill = t.status === '訓練';
  return rules.flatMap((rule) => {
    if (rule.kind !== t.hazard || (drill && !rule.includeDrillTelegrams)) return [];
    const min = minimumLevel(t.hazard as Hazard, rule.minLevel);
    const prefectures = Object.entries(t.levels)
      .filter(([code, level]) => level >= min && level > 0 && (rule.prefectures.length === 0 || rule.prefectures.includes(Number(code))))
      .map(([code]) => Number(code))
      .sort((a, b) => a - b);
    return prefectures.length ? [{ rule, prefectures }] : [];
  });
}

/**
 * Whom the matched rules reach together. `only` narrows the affected-area part to those
 * prefectures (an aftershock that reaches new ones only). An everyone/department rule reaches the
 * same people again, so with `only` it adds nobody.
 */
export function targetsOf(matches: RuleMatch[], only?: number[]): Targets {
  const targets: Targets = {};
  const work = new Set<number>();
  const home = new Set<number>();
  const departments = new Set<string>();
  for (const { rule, prefectures } of matches) {
    const prefs = only ? prefectures.filter((p) => only.includes(p)) : prefectures;
    if (rule.target === 'everyone') {
      if (!only) targets.all = true;
    } else if (rule.target === 'departments') {
      if (!only) rule.departmentIds.forEach((d) => departments.add(d));
    } else {
      if (rule.affectedBy !== 'home') prefs.forEach((p) => work.add(p));
      if (rule.affectedBy !== 'work') prefs.forEach((p) => home.add(p));
    }
  }
  if (departments.size) targets.departmentIds = [...departments];
  if (work.size || home.size)
    targets.areas = { ...(work.size && { work: [...work].sort((a, b) => a - b) }), ...(home.size && { home: [...home].sort((a, b) => a - b) }) };
  return targets;
}

export function reachesAnyone(targets: Targets): boolean {
  return Boolean(targets.all || targets.departmentIds?.length || targets.employeeIds?.length || targets.areas?.work?.length || targets.areas?.home?.length);
}

/** Two targets together (a later telegram of the same quake widens the first's). */
export function unionTargets(a: Targets, b: Targets): Targets {
  const merged: Targets = {};
  if (a.all || b.all) merged.all = true;
  const list = <T>(x?: T[], y?: T[]) => [...new Set([...(x ?? []), ...(y ?? [])])];
  const departments = list(a.departmentIds, b.departmentIds);
  if (departments.length) merged.departmentIds = departments;
  const employees = list(a.employeeIds, b.employeeIds);
  if (employees.length) merged.employeeIds = employees;
  const work = list(a.areas?.work, b.areas?.work).sort((x, y) => x - y);
  const home = list(a.areas?.home, b.areas?.home).sort((x, y) => x - y);
  if (work.length || home.length) merged.areas = { ...(work.length && { work }), ...(home.length && { home }) };
  return merged;
}

/** The levels a launch sent, per prefecture (the key is the JIS X 0401 code). */
export function levelsOf(matches: RuleMatch[], t: TelegramSummary): Record<string, number> {
  const levels: Record<string, number> = {};
  for (const m of matches) for (const p of m.prefectures) levels[p] = t.levels[p] ?? 0;
  return levels;
}

export type AftershockVerdict = { launch: 'all' } | { launch: 'new_prefectures'; prefectures: number[] } | { launch: 'none'; reason: string };

/**
 * Within the aftershock window of earlier launches from the same rules: launch again only if the
 * new quake is stronger in some prefecture already alerted, or reaches prefectures not alerted
 * yet (then only those).
 */
export function aftershockVerdict(
  hazard: Hazard,
  levels: Record<string, number>,
  earlier: { title: string; levels: Record<string, number> }[],
  windowHours: number,
): AftershockVerdict {
  if (earlier.length === 0) return { launch: 'all' };
  const sent: Record<string, number> = {};
  for (const e of earlier) for (const [p, l] of Object.entries(e.levels)) sent[p] = Math.max(sent[p] ?? 0, l);
  const stronger = Object.entries(levels).filter(([p, l]) => sent[p] !== undefined && l > sent[p]!);
  if (stronger.length) return { launch: 'all' };
  const fresh = Object.keys(levels)
    .filter((p) => sent[p] === undefined)
    .map(Number);
  if (fresh.length) return { launch: 'new_prefectures', prefectures: fresh };
  const strongest = Math.max(...Object.values(levels));
  const sentMax = Math.max(...Object.values(sent));
  return {
    launch: 'none',
    reason:
      `aftershock within ${windowHours} h of 「${earlier[0]!.title}」: ${levelLabel(hazard, strongest)} ` +
      `is not stronger than ${levelLabel(hazard, sentMax)} already alerted ` +
      `in ${Object.keys(levels)
        .map((p) => prefectureName(Number(p)))
        .join('・')}, and no new prefecture`,
  };
}

/** 「【地震】石川県能登地方 最大震度7」: the broadcast's title, from the telegram. */
export function titleOf(t: TelegramSummary): string {
  if (t.hazard === 'tsunami') return `【津波】${levelLabel('tsunami', t.maxLevel)} ${t.strongestArea ?? ''}`.trim();
  if (t.hazard === 'special_warning') {
    const where = Object.keys(t.levels).map((p) => prefectureName(Number(p)));
    return `【特別警報】${(t.warnings ?? []).join('・')} ${where.join('・')}`.trim();
  }
  return `【地震】${t.epicenter ?? t.strongestArea ?? ''} 最大震度${intensityLabel(t.maxLevel)}`.replace('【地震】 ', '【地震】');
}
