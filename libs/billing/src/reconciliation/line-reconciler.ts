import { Injectable, Logger } from '@nestjs/common';
import { ChannelSettingsService, LineChannel, PLATFORM_CHANNEL_KEY, TransientDeliveryError } from '#anpi/channels';
import { PlatformDb, TenantDb, asTenantId, type TenantId } from '#anpi/db';
import { billingMonthOf, firstDay } from '../billing-month.js';
import { UsageMeter } from '../usage/usage-meter.js';

export interface ReconcileReport {
  month: string;
  checked: number;
  mismatched: number;
  failed: number;
}

/**
 * For tenants on their own LINE channel: LINE's count of messages sent this month beside the
 * ledger's LINE units. Each check is stored (the API shows the latest); a mismatch is logged with
 * both numbers. The shared platform channel carries every other tenant, so it has no per-tenant
 * figure to compare with.
 */
@Injectable()
export class LineReconciler {
  private readonly logger = new Logger(LineReconciler.name);

  constructor(
    private readonly platform: PlatformDb,
    private readonly db: TenantDb,
    private readonly settings: ChannelSettingsService,
    private readonly line: LineChannel,
    private readonly meter: UsageMeter,
  ) {}

  async reconcileAll(now = new Date(), onlyTenant?: TenantId): Promise<ReconcileReport> {
    const month = billingMonthOf(now);
    const tenants = onlyTenant
      ? [onlyTenant]
      : (await this.platform.run((tx) => tx.tenant.findMany({ where: { status: 'active' }, select: { id: true } }))).map((t) => asTenantId(t.id));
    const report: ReconcileReport = { month, checked: 0, mismatched: 0, failed: 0 };
    let transient: unknown = null;
    for (const tenantId of tenants) {
      try {
        const outcome = await this.reconcile(tenantId, month);
        if (outcome === 'skipped') continue;
        report.checked += 1;
        if (outcome === 'mismatch') report.mismatched += 1;
      } catch (error) {
        // One tenant's revoked token must not stop the others; a LINE outage is retried as a whole.
        report.failed += 1;
        this.logger.warn({ msg: 'LINE consumption not read', tenantId, err: (error as Error).message });
        if (error instanceof TransientDeliveryError) transient = error;
      }
    }
    this.logger.log({ msg: 'LINE usage reconciled', ...report });
    if (transient) throw transient;
    return report;
  }

  private async reconcile(tenantId: TenantId, month: string): Promise<'match' | 'mismatch' | 'skipped'> {
    const credentials = await this.db.run(tenantId, async (tx) => (await this.settings.resolve(tx, tenantId)).line);
    if (!credentials || credentials.channelKey === PLATFORM_CHANNEL_KEY) return 'skipped';
    const lineUnits = await this.line.monthlyConsumption(credentials);
    const ledgerUnits = await this.db.run(tenantId, async (tx) => {
      const units = await this.meter.units(tx, tenantId, month, ['line']);
      await tx.lineReconciliation.create({ data: { tenantId, month: firstDay(month), channelId: credentials.channelKey, lineUnits, ledgerUnits: units } });
      return units;
    });
    if (lineUnits === ledgerUnits) return 'match';
    this.logger.warn({
      msg: 'LINE usage mismatch',
      tenantId,
      month,
      channelId: credentials.channelKey,
      lineUnits,
      ledgerUnits,
      difference: lineUnits - ledgerUnits,
    });
    return 'mismatch';
  }
}
