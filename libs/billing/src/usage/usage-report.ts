import { Injectable } from '@nestjs/common';
import { TenantDb } from '#anpi/db';
import { billingMonthOf, elapsedShare } from '../billing-month.js';
import { tenantScope, type BillingViewer } from '../billing-viewer.js';
import type { UsageQuery, UsageView } from '../dto/usage.dto.js';
import { TenantPlansService } from '../tenant-plans.service.js';
import { UsageMeter } from './usage-meter.js';
import { InvalidInputError } from '#anpi/errors';

/** How much of its pack a tenant has used in a month, and where the current pace leads. */
@Injectable()
export class UsageReport {
  constructor(
    private readonly db: TenantDb,
    private readonly plans: TenantPlansService,
    private readonly meter: UsageMeter,
  ) {}

  async view(viewer: BillingViewer, query: UsageQuery, now = new Date()): Promise<UsageView> {
    const tenantId = tenantScope(viewer, query.tenantId);
    if (!tenantId) throw InvalidInputError.field('tenantId', 'tenantId is required for the platform operator');
    const month = query.month ?? billingMonthOf(now);
    const { plan, rows } = await this.db.run(tenantId, async (tx) => ({
      plan: await this.plans.planFor(tx, tenantId, month),
      rows: await this.meter.month(tx, tenantId, month),
    }));
    const counted = new Set(plan?.countedChannels ?? ['line']);
    const countedRows = rows.filter((r) => counted.has(r.channel));
    const countedUnits = countedRows.reduce((a, r) => a + r.units, 0);
    const drillUnits = countedRows.filter((r) => r.drill).reduce((a, r) => a + r.units, 0);
    const elapsed = elapsedShare(month, now);
    const projectedUnits = elapsed > 0 && elapsed < 1 ? Math.round(countedUnits / elapsed) : countedUnits;
    const projectedOverageUnits = plan ? Math.max(0, projectedUnits - plan.includedMessages) : 0;
    return {
      month,
      final: elapsed >= 1,
      plan: plan && {
        code: plan.code,
        name: plan.name,
        includedMessages: plan.includedMessages,
        overageUnitPrice: plan.overageUnitPrice,
        countedChannels: plan.countedChannels,
      },
      countedUnits,
      alertUnits: countedUnits - drillUnits,
      drillUnits,
      percentUsed: plan && plan.includedMessages > 0 ? Math.round((countedUnits / plan.includedMessages) * 1000) / 10 : null,
      byChannel: rows.map((r) => ({
        channel: r.channel,
        kind: r.drill ? 'drill' : 'alert',
        messages: r.messages,
        units: r.units,
        counted: counted.has(r.channel),
      })),
      elapsed: Math.round(elapsed * 1000) / 1000,
      projectedUnits,
      projectedOverageUnits,
      projectedOverageYen: plan ? projectedOverageUnits * plan.overageUnitPrice : 0,
    };
  }
}
