import type { Channel, InvoiceLineKind, Plan } from '#anpi/db';
import type { UsageRow } from '../usage/usage-row.js';

export interface ComputedLine {
  kind: InvoiceLineKind;
  description: string;
  quantity: number;
  unitPrice: number;
  amount: number;
}

export interface ComputedInvoice {
  includedMessages: number;
  countedUnits: number;
  drillUnits: number;
  overageUnits: number;
  smsSegments: number;
  lines: ComputedLine[];
  usage: (UsageRow & { counted: boolean })[];
  subtotal: number;
  taxRatePercent: number;
  tax: number;
  total: number;
}

/** Printed on every invoice and in its CSV, so the customer can redo the sums. */
export const ROUNDING_RULE =
  '消費税は請求書ごとに小計へ税率を掛け、1円未満を切り捨て / Consumption tax: subtotal × rate once per invoice, fractions of a yen rounded down';

const CHANNEL_LABEL: Record<Channel, string> = { line: 'LINE', email: 'メール / email', sms: 'SMS', lineworks: 'LINE WORKS' };

/**
 * One month's bill from the plan and the ledger's totals. Amounts are integer yen; the only
 * rounding is the tax (see ROUNDING_RULE). Drills are real messages and count like alerts.
 * SMS segments are priced on their own line when the plan prices them and does not already count
 * SMS against the pack (never both).
 */
export function computeInvoice(plan: Plan, usage: UsageRow[], firstMonth: boolean): ComputedInvoice {
  const counted = (channel: Channel) => plan.countedChannels.includes(channel);
  const rows = usage.filter((r) => r.messages > 0 || r.units > 0).map((r) => ({ ...r, counted: counted(r.channel) }));
  const countedUnits = sum(rows.filter((r) => r.counted).map((r) => r.units));
  const drillUnits = sum(rows.filter((r) => r.counted && r.drill).map((r) => r.units));
  const overageUnits = Math.max(0, countedUnits - plan.includedMessages);
  const smsPriced = plan.smsSegmentPrice !== null && !counted('sms');
  const smsSegments = smsPriced ? sum(rows.filter((r) => r.channel === 'sms').map((r) => r.units)) : 0;

  const lines: ComputedLine[] = [];
  if (firstMonth) lines.push(line('initial_fee', '初期費用 / Initial fee', 1, plan.initialFee));
  lines.push(line('pack_fee', `月額 ${plan.name} / Monthly pack (${plan.includedMessages.toLocaleString('en-US')} messages)`, 1, plan.monthlyFee));
  const countedLabel = plan.countedChannels.map((c) => CHANNEL_LABEL[c as Channel] ?? c).join('・');
  lines.push(
    line(
      'overage',
      `超過通数 (${countedLabel}) / Messages over the pack: ${countedUnits.toLocaleString('en-US')} − ${plan.includedMessages.toLocaleString('en-US')}`,
      overageUnits,
      plan.overageUnitPrice,
    ),
  );
  if (smsPriced) lines.push(line('sms_segments', 'SMS 通数 (セグメント) / SMS segments', smsSegments, plan.smsSegmentPrice!));

  const subtotal = sum(lines.map((l) => l.amount));
  const tax = Math.floor((subtotal * plan.taxRatePercent) / 100);
  return {
    includedMessages: plan.includedMessages,
    countedUnits,
    drillUnits,
    overageUnits,
    smsSegments,
    lines,
    usage: rows,
    subtotal,
    taxRatePercent: plan.taxRatePercent,
    tax,
    total: subtotal + tax,
  };
}

function line(kind: InvoiceLineKind, description: string, quantity: number, unitPrice: number): ComputedLine {
  return { kind, description, quantity, unitPrice, amount: quantity * unitPrice };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
