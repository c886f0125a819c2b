import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import type { Invoice, InvoiceLine, InvoiceUsage, Plan } from '#anpi/db';
import { BILLING_MONTH, monthOfFirstDay } from '../billing-month.js';
import { ROUNDING_RULE } from '../invoices/invoice-calculator.js';

const MONTH_MESSAGE = 'month must be a month as YYYY-MM (e.g. 2026-11)';
const TenantIdParam = () =>
  applyDecorators(
    ApiPropertyOptional({ description: 'Platform operator only: one tenant' }),
    IsOptional(),
    IsUUID('all', { message: 'tenantId must be a UUID' }),
  );

export class MonthQuery {
  @ApiPropertyOptional({ example: '2026-11', description: 'Calendar month in Asia/Tokyo; default the current one' })
  @IsOptional()
  @Matches(BILLING_MONTH, { message: MONTH_MESSAGE })
  month?: string;
}

export class RequiredMonthQuery {
  @ApiProperty({ example: '2026-11', description: 'Calendar month in Asia/Tokyo' })
  @Matches(BILLING_MONTH, { message: MONTH_MESSAGE })
  month!: string;
}

export class CloseMonthQuery extends RequiredMonthQuery {
  @TenantIdParam() tenantId?: string;
}

/** For the platform operator, one tenant (a tenant's own reads leave it out). */
export class TenantQuery {
  @TenantIdParam() tenantId?: string;
}

/** A month, and for the platform operator the tenant. */
export class TenantMonthQuery extends MonthQuery {
  @TenantIdParam() tenantId?: string;
}

export class InvoiceListQuery extends TenantMonthQuery {}

export class CloseReportView {
  @ApiProperty() month!: string;
  @ApiProperty({ description: 'Invoices created' }) created!: number;
  @ApiProperty({ description: 'Drafts recomputed' }) replaced!: number;
  @ApiProperty({ description: 'Issued invoices left as they were' }) keptIssued!: number;
  @ApiProperty({ description: 'Tenants without a plan for the month' }) noPlan!: number;
}

export class InvoiceLineView {
  @ApiProperty({ enum: ['initial_fee', 'pack_fee', 'overage', 'sms_segments'] }) kind!: string;
  @ApiProperty() description!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ description: 'Yen' }) unitPrice!: number;
  @ApiProperty({ description: 'Yen' }) amount!: number;
}

export class InvoiceUsageView {
  @ApiProperty({ enum: ['line', 'email', 'sms', 'lineworks'] }) channel!: string;
  @ApiProperty({ enum: ['alert', 'drill'] }) kind!: 'alert' | 'drill';
  @ApiProperty({ description: 'Deliveries sent' }) messages!: number;
  @ApiProperty({ description: 'Billable units (LINE messages, SMS segments, emails)' }) units!: number;
  @ApiProperty({ description: 'Whether these units count against the pack' }) counted!: boolean;
}

export class InvoiceSummaryView {
  @ApiProperty() id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty({ example: '2026-11' }) month!: string;
  @ApiProperty({ enum: ['draft', 'issued'] }) status!: string;
  @ApiProperty() plan!: { id: string; code: string; name: string };
  @ApiProperty({ example: 'JPY' }) currency!: 'JPY';
  @ApiProperty({ description: 'Yen, before tax' }) subtotal!: number;
  @ApiProperty({ description: 'Yen' }) tax!: number;
  @ApiProperty({ description: 'Yen' }) total!: number;
  @ApiProperty() closedAt!: string;
  @ApiProperty({ type: String, nullable: true }) issuedAt!: string | null;

  static from(i: Invoice & { plan: Plan }): InvoiceSummaryView {
    return {
      id: i.id,
      tenantId: i.tenantId,
      month: monthOfFirstDay(i.month),
      status: i.status,
      plan: { id: i.plan.id, code: i.plan.code, name: i.plan.name },
      currency: 'JPY',
      subtotal: i.subtotal,
      tax: i.tax,
      total: i.total,
      closedAt: i.closedAt.toISOString(),
      issuedAt: i.issuedAt?.toISOString() ?? null,
    };
  }
}

export class InvoiceView extends InvoiceSummaryView {
  @ApiProperty() includedMessages!: number;
  @ApiProperty({ description: 'Units counted against the pack, alerts and drills together' }) countedUnits!: number;
  @ApiProperty({ description: 'Of countedUnits, sent by real alerts' }) alertUnits!: number;
  @ApiProperty({ description: 'Of countedUnits, sent by drills (real messages, billed alike)' }) drillUnits!: number;
  @ApiProperty() overageUnits!: number;
  @ApiProperty() smsSegments!: number;
  @ApiProperty() taxRatePercent!: number;
  @ApiProperty({ description: 'How the tax is rounded' }) rounding!: string;
  @ApiProperty({ type: [InvoiceLineView] }) lines!: InvoiceLineView[];
  @ApiProperty({ type: [InvoiceUsageView] }) usage!: InvoiceUsageView[];

  static full(i: Invoice & { plan: Plan; lines: InvoiceLine[]; usage: InvoiceUsage[] }): InvoiceView {
    return {
      ...InvoiceSummaryView.from(i),
      includedMessages: i.includedMessages,
      countedUnits: i.countedUnits,
      alertUnits: i.countedUnits - i.drillUnits,
      drillUnits: i.drillUnits,
      overageUnits: i.overageUnits,
      smsSegments: i.smsSegments,
      taxRatePercent: i.taxRatePercent,
      rounding: ROUNDING_RULE,
      lines: [...i.lines]
        .sort((a, b) => a.position - b.position)
        .map((l) => ({ kind: l.kind, description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, amount: l.amount })),
      usage: [...i.usage]
        .sort((a, b) => ORDER.indexOf(a.channel) - ORDER.indexOf(b.channel) || Number(a.drill) - Number(b.drill))
        .map((u) => ({ channel: u.channel, kind: u.drill ? 'drill' : 'alert', messages: u.messages, units: u.units, counted: u.counted })),
    };
  }
}

const ORDER = ['line', 'lineworks', 'email', 'sms'];
