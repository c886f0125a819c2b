import type { Plan } from '#anpi/db';
import { computeInvoice } from './invoice-calculator.js';

const pack3000: Plan = {
  id: 'p',
  code: 'pack-3000',
  name: 'メッセージパック 3,000通',
  initialFee: 10000,
  monthlyFee: 3000,
  includedMessages: 3000,
  overageUnitPrice: 4,
  countedChannels: ['line'],
  smsSegmentPrice: null,
  taxRatePercent: 10,
  active: true,
  createdAt: new Date(),
};

const line = (units: number, drill = false) => ({ channel: 'line' as const, drill, messages: units, units });

describe('computeInvoice', () => {
  it('bills the pack in a month with no message at all, and the initial fee only in the first month', () => {
    const first = computeInvoice(pack3000, [], true);
    expect(first.lines.map((l) => [l.kind, l.quantity, l.unitPrice, l.amount])).toEqual([
      ['initial_fee', 1, 10000, 10000],
      ['pack_fee', 1, 3000, 3000],
      ['overage', 0, 4, 0],
    ]);
    expect([first.subtotal, first.tax, first.total]).toEqual([13000, 1300, 14300]);
    const later = computeInvoice(pack3000, [], false);
    expect([later.subtotal, later.tax, later.total]).toEqual([3000, 300, 3300]);
  });

  it('charges nothing extra at exactly the pack, 4 yen for one message over', () => {
    expect(computeInvoice(pack3000, [line(3000)], false)).toMatchObject({ countedUnits: 3000, overageUnits: 0, subtotal: 3000 });
    expect(computeInvoice(pack3000, [line(3001)], false)).toMatchObject({ countedUnits: 3001, overageUnits: 1, subtotal: 3004, tax: 300, total: 3304 });
  });

  it('counts drills like alerts and reports them apart; email is free and SMS unpriced by default', () => {
    const bill = computeInvoice(
      pack3000,
      [line(2000), line(1500, true), { channel: 'email', drill: false, messages: 900, units: 900 }, { channel: 'sms', drill: false, messages: 10, units: 14 }],
      false,
    );
    expect(bill).toMatchObject({ countedUnits: 3500, drillUnits: 1500, overageUnits: 500, smsSegments: 0, subtotal: 5000 });
    expect(bill.usage.map((u) => [u.channel, u.drill, u.counted])).toEqual([
      ['line', false, true],
      ['line', true, true],
      ['email', false, false],
      ['sms', false, false],
    ]);
  });

  it('prices SMS segments on their own line when the plan does, and rounds the tax down once per invoice', () => {
    const plan = { ...pack3000, smsSegmentPrice: 11, taxRatePercent: 8 };
    const bill = computeInvoice(
      plan,
      [
        { channel: 'sms', drill: false, messages: 3, units: 7 },
        { channel: 'sms', drill: true, messages: 1, units: 2 },
      ],
      false,
    );
    expect(bill.lines.at(-1)).toMatchObject({ kind: 'sms_segments', quantity: 9, unitPrice: 11, amount: 99 });
    // 3,099 × 8% = 247.92 → 247
    expect([bill.subtotal, bill.tax, bill.total]).toEqual([3099, 247, 3346]);
  });

  it('never prices SMS twice when SMS already counts against the pack', () => {
    const plan = { ...pack3000, countedChannels: ['line', 'sms'], smsSegmentPrice: 11 };
    const bill = computeInvoice(plan, [line(2999), { channel: 'sms', drill: false, messages: 1, units: 2 }], false);
    expect(bill).toMatchObject({ countedUnits: 3001, overageUnits: 1, smsSegments: 0 });
    expect(bill.lines.map((l) => l.kind)).not.toContain('sms_segments');
  });
});
