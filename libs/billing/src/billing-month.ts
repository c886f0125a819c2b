/**
 * Billing months are calendar months in Asia/Tokyo, whatever the server's time zone: 23:59:59 JST
 * on the 30th of November is November, even though it is 14:59:59 UTC.
 */
const JST_OFFSET_MS = 9 * 3_600_000;

/** "2026-11" for the Tokyo month `at` falls in. */
export function billingMonthOf(at: Date): string {
  return new Date(at.getTime() + JST_OFFSET_MS).toISOString().slice(0, 7);
}

/** The month after "YYYY-MM". */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The date column value for the first day of a month ("2026-12" → 2026-12-01). */
export function firstDay(month: string): Date {
  return new Date(`${month}-01T00:00:00Z`);
}

export function monthOfFirstDay(date: Date): string {
  return date.toISOString().slice(0, 7);
}
