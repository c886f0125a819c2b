import { Injectable, Logger } from '@nestjs/common';
import { PlatformDb, TenantDb, asTenantId, type Prisma, type TenantId } from '#anpi/db';
import { billingMonthOf, firstDay, monthOfFirstDay } from '../billing-month.js';
import { TenantPlansService } from '../tenant-plans.service.js';
import { UsageMeter } from '../usage/usage-meter.js';
import { computeInvoice } from './invoice-calculator.js';
import { ConflictError } from '#anpi/errors';

export type CloseOutcome = 'created' | 'replaced' | 'kept_issued' | 'no_plan';

export interface CloseReport {
  month: string;
  created: number;
  replaced: number;
  keptIssued: number;
  noPlan: number;
}

/**
 * Turns a finished month into one invoice per tenant. Each tenant is closed in its own
 * transaction, serialised per tenant and month by an advisory lock, and the invoice is unique per
 * tenant and month: a second run, a concurrent run or a run after a crash halfway recomputes the
 * draft from the same ledger (same numbers, same invoice id) and never touches an issued one.
 */
@Injectable()
export class MonthCloser {
  private readonly logger = new Logger(MonthCloser.name);

  constructor(
    private readonly platform: PlatformDb,
    private readonly db: TenantDb,
    private readonly plans: TenantPlansService,
    private readonly meter: UsageMeter,
  ) {}

  async closeAll(month: string, now = new Date(), onlyTenant?: TenantId): Promise<CloseReport> {
    this.assertOver(month, now);
    const tenants = onlyTenant
      ? [onlyTenant]
      : (await this.platform.run((tx) => tx.tenant.findMany({ select: { id: true }, orderBy: { id: 'asc' } }))).map((t) => asTenantId(t.id));
    const report: CloseReport = { month, created: 0, replaced: 0, keptIssued: 0, noPlan: 0 };
    for (const tenantId of tenants) {
      const outcome = await this.closeTenant(tenantId, month, now);
      const key = ({ created: 'created', replaced: 'replaced', kept_issued: 'keptIssued', no_plan: 'noPlan' } as const)[outcome];
      report[key] += 1;
    }
    this.logger.log({ msg: 'billing month closed', ...report });
    return report;
  }

  async closeTenant(tenantId: TenantId, month: string, now = new Date()): Promise<CloseOutcome> {
    this.assertOver(month, now);
    return this.db.run(
      tenantId,
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('invoice:' || ${tenantId} || ':' || ${month}))`;
        const plan = await this.plans.planFor(tx, tenantId, month);
        if (!plan) return 'no_plan';
        const existing = await tx.invoice.findUnique({ where: { tenantId_month: { tenantId, month: firstDay(month) } } });
        if (existing?.status === 'issued') return 'kept_issued';
        const firstPlan = await tx.tenantPlan.findFirst({ where: { tenantId }, orderBy: { effectiveFrom: 'asc' } });
        const bill = computeInvoice(plan, await this.meter.month(tx, tenantId, month), !!firstPlan && monthOfFirstDay(firstPlan.effectiveFrom) === month);
        const fields = {
          planId: plan.id,
          includedMessages: bill.includedMessages,
          countedUnits: bill.countedUnits,
          drillUnits: bill.drillUnits,
          overageUnits: bill.overageUnits,
          smsSegments: bill.smsSegments,
          subtotal: bill.subtotal,
          taxRatePercent: bill.taxRatePercent,
          tax: bill.tax,
          total: bill.total,
          closedAt: now,
        } satisfies Partial<Prisma.InvoiceUncheckedCreateInput>;
        const invoice = existing
          ? await tx.invoice.update({ where: { id: existing.id }, data: fields })
          : await tx.invoice.create({ data: { ...fields, tenantId, month: firstDay(month) } });
        if (existing) {
          await tx.invoiceLine.deleteMany({ where: { tenantId, invoiceId: invoice.id } });
          await tx.invoiceUsage.deleteMany({ where: { tenantId, invoiceId: invoice.id } });
        }
        await tx.invoiceLine.createMany({ data: bill.lines.map((line, position) => ({ ...line, position, tenantId, invoiceId: invoice.id })) });
        if (bill.usage.length) await tx.invoiceUsage.createMany({ data: bill.usage.map((u) => ({ ...u, tenantId, invoiceId: invoice.id })) });
        return existing ? 'replaced' : 'created';
      },
      { timeout: 30_000 },
    );
  }

  /** A month is closed once it is over in Tokyo; closing the current one would bill half a month. */
  private assertOver(month: string, now: Date): void {
    if (month >= billingMonthOf(now)) {
      throw new ConflictError('month_not_over', `${month} is not over yet (Asia/Tokyo); only past months can be closed`);
    }
  }
}
