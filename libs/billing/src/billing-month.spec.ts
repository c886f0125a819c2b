import { billingMonthOf, elapsedShare, firstDay, monthRange, nextMonth, previousMonth } from './billing-month.js';

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

describe('month ranges', () => {
  it('spans 00:00 JST on the 1st to 00:00 JST on the next 1st, in any process time zone', () => {
    const zone = process.env.TZ;
    try {
      for (const tz of ['UTC', 'Asia/Tokyo', 'America/Los_Angeles']) {
        process.env.TZ = tz;
        const { start, end } = monthRange('2026-11');
        expect([start.toISOString(), end.toISOString()]).toEqual(['2026-10-31T15:00:00.000Z', '2026-11-30T15:00:00.000Z']);
        expect(billingMonthOf(new Date(end.getTime() - 1))).toBe('2026-11');
        expect(billingMonthOf(end)).toBe('2026-12');
      }
    } finally {
      process.env.TZ = zone;
    }
  });

  it('steps back over the year and measures how much of a month has passed', () => {
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(elapsedShare('2026-11', new Date('2026-11-16T00:00:00+09:00'))).toBeCloseTo(0.5, 5);
    expect(elapsedShare('2026-11', new Date('2026-12-05T00:00:00+09:00'))).toBe(1);
    expect(elapsedShare('2026-11', new Date('2026-10-05T00:00:00+09:00'))).toBe(0);
    expect(() => nextMonth('2026-13')).toThrow(/not a billing month/);
  });
});
