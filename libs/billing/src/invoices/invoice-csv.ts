import { csvCell } from '#anpi/validation';
import type { InvoiceView } from '../dto/invoice.dto.js';

const KIND_LABEL: Record<string, string> = {
  initial_fee: '初期費用 (Initial fee)',
  pack_fee: '月額パック (Monthly pack)',
  overage: '超過料金 (Overage)',
  sms_segments: 'SMS (Segments)',
};
const CHANNEL_LABEL: Record<string, string> = { line: 'LINE', email: 'メール (Email)', sms: 'SMS' };

/**
 * An invoice as one CSV for Excel in Japan: UTF-8 with a BOM, CRLF, Japanese headers with the
 * English beside them. The priced lines and totals come first, then the month's usage by channel
 * (drills apart), then how the tax was rounded.
 */
export function invoiceCsv(invoice: InvoiceView): string {
  const row = (...cells: (string | number)[]) => cells.map((c) => csvCell(String(c))).join(',') + '\r\n';
  let out = '\uFEFF';
  out += row('請求書ID (Invoice ID)', invoice.id);
  out += row('請求月 (Month)', invoice.month);
  out += row('状態 (Status)', invoice.status === 'issued' ? '発行済 (issued)' : '下書き (draft)');
  out += row('プラン (Plan)', `${invoice.plan.name} [${invoice.plan.code}]`);
  out += row('通貨 (Currency)', 'JPY');
  out += '\r\n';
  out += row('区分 (Kind)', '内容 (Description)', '数量 (Quantity)', '単価 円 (Unit price, yen)', '金額 円 (Amount, yen)');
  for (const line of invoice.lines) out += row(KIND_LABEL[line.kind] ?? line.kind, line.description, line.quantity, line.unitPrice, line.amount);
  out += row('小計 (Subtotal)', '', '', '', invoice.subtotal);
  out += row(`消費税 ${invoice.taxRatePercent}% (Consumption tax)`, '', '', '', invoice.tax);
  out += row('合計 (Total)', '', '', '', invoice.total);
  out += '\r\n';
  out += row('チャネル (Channel)', '種別 (Kind)', '送信数 (Messages)', '課金単位 (Units)', 'パック対象 (Counted)');
  for (const u of invoice.usage) {
    out += row(
      CHANNEL_LABEL[u.channel] ?? u.channel,
      u.kind === 'drill' ? '訓練 (drill)' : '本番 (alert)',
      u.messages,
      u.units,
      u.counted ? 'はい (yes)' : 'いいえ (no)',
    );
  }
  out += row(
    'パック対象 合計 (Counted units)',
    `本番 ${invoice.alertUnits} + 訓練 ${invoice.drillUnits} = ${invoice.countedUnits} / ${invoice.includedMessages}`,
  );
  out += '\r\n';
  out += row('端数処理 (Rounding)', invoice.rounding);
  return out;
}
