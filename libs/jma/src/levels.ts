/**
 * How strong a hazard is in a prefecture, as one ordinal per kind so that "stronger than what was
 * sent" is a comparison of numbers.
 * - earthquake: JMA seismic intensity 1 … 7 as 1 … 9 (5弱 5, 5強 6, 6弱 7, 6強 8, 7 9)
 * - tsunami: 津波注意報 1, 津波警報 2, 大津波警報 3
 * - special_warning: 特別警報 1
 */
export type Hazard = 'earthquake' | 'tsunami' | 'special_warning';

export const INTENSITIES = ['1', '2', '3', '4', '5-', '5+', '6-', '6+', '7'] as const;
export type Intensity = (typeof INTENSITIES)[number];

export function intensityLevel(value: string | undefined | null): number {
  const index = INTENSITIES.indexOf((value ?? '').trim() as Intensity);
  return index + 1; // 0 when absent or unknown
}

/** 「震度5弱」: how the product writes an intensity level. */
export function intensityLabel(level: number): string {
  return ['', '1', '2', '3', '4', '5弱', '5強', '6弱', '6強', '7'][level] ?? '';
}

export const TSUNAMI_LEVELS = ['advisory', 'warning', 'major_warning'] as const;
export type TsunamiLevel = (typeof TSUNAMI_LEVELS)[number];
export const TSUNAMI_LABELS = ['', '津波注意報', '津波警報', '大津波警報'] as const;

export function tsunamiLevel(value: TsunamiLevel): number {
  return TSUNAMI_LEVELS.indexOf(value) + 1;
}

/** The level a rule's minimum names, on its hazard's scale. */
export function minimumLevel(hazard: Hazard, min: string | null | undefined): number {
  if (hazard === 'earthquake') return intensityLevel(min);
  if (hazard === 'tsunami') return tsunamiLevel((min ?? 'advisory') as TsunamiLevel);
  return 1;
}

export function levelLabel(hazard: Hazard, level: number): string {
  if (hazard === 'earthquake') return `震度${intensityLabel(level)}`;
  if (hazard === 'tsunami') return TSUNAMI_LABELS[level] ?? '';
  return '特別警報';
}
