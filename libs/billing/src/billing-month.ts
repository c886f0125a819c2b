/**
 * Billing months are calendar months in Asia/Tokyo, whatever the server's time zone: 23:59:59 JST
 * on the 30th of November is November, even though it is 14:59:59 UTC. Japan has no daylight
 * saving, so a fixed offset is exact; everything here is UTC arithmetic and never reads the
 * process's time zone.
 */
const JST_OFFSET_MS = 9 * 3_600_000;
export const BILLING_MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** "2026-11" for the Tokyo month `at` falls in. */
export function billingMonthOf(at: Date): string {
  return new Date(at.getTime() + JST_OFFSET_MS).toISOString().slice(0, 7);
}

function parts(month: string): [number, number] {
  const match = BILLING_MONTH.exec(month);
  if (!match) throw new Error(`not a billing month: ${month}`);
  return [Number(match[1]), Number(match[2])];
}

/** The month after "YYYY-MM". */
export function nextMonth(month: string): string {
  const [y, m] = parts(month);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function previousMonth(month: string): string {
  const [y, m] = parts(month);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The date column value for the first day of a month ("2026-12" → 2026-12-01). */
export function firstDay(month: string): Date {
  parts(month);
  return new Date(`${month}-01T00:00:00Z`);
}

export function monthOfFirstDay(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** The instants a month spans: [00:00 JST on the 1st, 00:00 JST on the 1st of the next month). */
export function monthRange(month: string): { start: Date; end: Date } {
  const at = (m: string) => new Date(firstDay(m).getTime() - JST_OFFSET_MS);
  return { start: at(month), end: at(nextMonth(month)) };
}

/** How much of the month has passed at `now` (0 before it, 1 after it). */
export function elapsedShare(month: string, now: Date): number {
  const { start, end } = monthRange(month);
  const share = (now.getTime() - start.getTime()) / (end.getTime() - start.getTime());
  return Math.min(1, Math.max(0, share));
}
