import { Injectable } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { PlatformDb, TenantDb, asTenantId, isUuid, type Plan, type TenantId, type Tx } from '#anpi/db';
import { billingMonthOf, firstDay, monthOfFirstDay, nextMonth } from './billing-month.js';
import { PlanView, type TenantPlanView } from './dto/plan.dto.js';
import { ConflictError, NotFoundError } from '#anpi/errors';

/**
 * A tenant's plan over time. The first plan applies from the current month (the tenant's first
 * billed month); every later change takes effect on the first day of the next month, never
 * mid-month, so a month is always billed on one plan.
 */
@Injectable()
export class TenantPlansService {
  constructor(
    private readonly platform: PlatformDb,
    private readonly db: TenantDb,
    private readonly audit: AuditLog,
  ) {}

  async assign(actor: Actor, tenantIdParam: string, planId: string, now = new Date()): Promise<TenantPlanView> {
    if (!isUuid(tenantIdParam)) throw NotFoundError.of('Tenant', tenantIdParam);
    const tenantId = asTenantId(tenantIdParam);
    await this.platform.run(async (tx) => {
      const tenant = await tx.tenant.findUnique({ where: { id: tenantId } });
      const plan = await tx.plan.findUnique({ where: { id: planId } });
      if (!tenant) throw NotFoundError.of('Tenant', tenantId);
      if (!plan) throw NotFoundError.of('Plan', planId);
      if (!plan.active) throw new ConflictError('plan_inactive', `Plan ${plan.code} is no longer offered`);
      await this.platform.enterTenant(tx, tenantId);
      const thisMonth = billingMonthOf(now);
      const hasPlan = (await tx.tenantPlan.count({ where: { tenantId, effectiveFrom: { lte: firstDay(thisMonth) } } })) > 0;
      const from = hasPlan ? nextMonth(thisMonth) : thisMonth;
      // A later change in the same month replaces the one scheduled before it.
      await tx.tenantPlan.deleteMany({ where: { tenantId, effectiveFrom: { gt: firstDay(thisMonth) } } });
      await tx.tenantPlan.upsert({
        where: { tenantId_effectiveFrom: { tenantId, effectiveFrom: firstDay(from) } },
        create: { tenantId, effectiveFrom: firstDay(from), planId },
        update: { planId },
      });
      await this.audit.record(tx, tenantId, actor, {
        action: 'tenant.plan',
        resourceType: 'tenant',
        resourceId: tenantId,
        details: { planId, code: plan.code, from },
      });
    });
    return this.view(tenantId, now, true);
  }

  /** The plan of the current month and any scheduled change, for the operator or the tenant's admins. */
  async view(tenantId: TenantId, now = new Date(), asPlatform = false): Promise<TenantPlanView> {
    const read = (tx: Tx) => tx.tenantPlan.findMany({ where: { tenantId }, include: { plan: true }, orderBy: { effectiveFrom: 'asc' } });
    const rows = asPlatform
      ? await this.platform.run(async (tx) => (await this.platform.enterTenant(tx, tenantId), read(tx)))
      : await this.db.run(tenantId, read);
    const start = firstDay(billingMonthOf(now)).getTime();
    const current = rows.filter((r) => r.effectiveFrom.getTime() <= start).at(-1) ?? null;
    const scheduled = rows.find((r) => r.effectiveFrom.getTime() > start) ?? null;
    return { current: current && period(current), scheduled: scheduled && period(scheduled) };
  }

  /** The plan a month is billed on (null before the tenant had one). */
  async planFor(tx: Tx, tenantId: TenantId, month: string): Promise<Plan | null> {
    const row = await tx.tenantPlan.findFirst({
      where: { tenantId, effectiveFrom: { lte: firstDay(month) } },
      orderBy: { effectiveFrom: 'desc' },
      include: { plan: true },
    });
    return row?.plan ?? null;
  }
}

function period(row: { effectiveFrom: Date; plan: Plan }) {
  return { from: monthOfFirstDay(row.effectiveFrom), plan: PlanView.from(row.plan) };
}
