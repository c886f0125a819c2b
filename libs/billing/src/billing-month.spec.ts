import { billingMonthOf, firstDay, nextMonth } from './billing-month.js';

describe('billing months (Asia/Tokyo)', () => {
  it('puts 23:59:59 JST on the last day in that month and 00:00:00 JST in the next', () => {
    expect(billingMonthOf(new Date('2026-11-30T23:59:59+09:00'))).toBe('2026-11');
    expect(billingMonthOf(new Date('2026-12-01T00:00:00+09:00'))).toBe('2026-12');
    // The same instants as a UTC server sees them.
    expect(billingMonthOf(new Date('2026-11-30T14:59:59Z'))).toBe('2026-11');
    expect(billingMonthOf(new Date('2026-11-30T15:00:00Z'))).toBe('2026-12');
  });

  it('rolls over the year', () => {
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(nextMonth('2026-09')).toBe('2026-10');
    expect(firstDay('2027-01').toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});
