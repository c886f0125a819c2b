import { Injectable, Logger } from '@nestjs/common';
import { ChannelSettingsService, EmailChannel, plainTextHtml } from '#anpi/channels';
import { AppConfig } from '#anpi/config';
import { PlatformDb, TenantDb, asTenantId, type TenantId } from '#anpi/db';
import { JobHandler, JobName } from '#anpi/queue';
import { billingMonthOf, firstDay } from '../billing-month.js';
import { TenantPlansService } from '../tenant-plans.service.js';
import { UsageMeter } from './usage-meter.js';
import type { CheckUsageJobData } from './usage-watch.js';

const THRESHOLDS = [80, 100] as const;

/**
 * Tells a tenant's admins when the month's usage crosses 80% and 100% of its pack: once per
 * threshold and month (the notice row is unique), however many messages follow. The email goes
 * out inside the transaction that records the notice, so a failed send leaves no notice behind
 * and the job's retry sends it. Nothing here ever stops a message: over the pack is only overage.
 */
@Injectable()
export class UsageThresholds {
  private readonly logger = new Logger(UsageThresholds.name);

  constructor(
    private readonly db: TenantDb,
    private readonly platform: PlatformDb,
    private readonly plans: TenantPlansService,
    private readonly meter: UsageMeter,
    private readonly settings: ChannelSettingsService,
    private readonly email: EmailChannel,
    private readonly config: AppConfig,
  ) {}

  @JobHandler(JobName.CheckUsageThresholds)
  async onJob(data: CheckUsageJobData): Promise<{ notified: number[] }> {
    return { notified: await this.check(asTenantId(data.tenantId), data.month) };
  }

  /** Every tenant, for the daily safety net. */
  async checkAll(now = new Date()): Promise<number> {
    const month = billingMonthOf(now);
    const tenants = await this.platform.run((tx) => tx.tenant.findMany({ select: { id: true } }));
    let notices = 0;
    for (const { id } of tenants) notices += (await this.check(asTenantId(id), month)).length;
    return notices;
  }

  /** The thresholds newly crossed (and now notified) for the month. */
  async check(tenantId: TenantId, month: string): Promise<number[]> {
    return this.db.run(
      tenantId,
      async (tx) => {
        const plan = await this.plans.planFor(tx, tenantId, month);
        if (!plan || plan.includedMessages === 0) return [];
        const units = await this.meter.units(tx, tenantId, month, plan.countedChannels);
        const crossed = THRESHOLDS.filter((percent) => units * 100 >= percent * plan.includedMessages);
        const fresh: number[] = [];
        for (const percent of crossed) {
          const inserted = await tx.$executeRaw`
            INSERT INTO usage_notices (tenant_id, month, percent, units) VALUES (${tenantId}::uuid, ${firstDay(month)}::date, ${percent}, ${units})
            ON CONFLICT DO NOTHING`;
          if (inserted) fresh.push(percent);
        }
        if (fresh.length === 0) return [];
        const admins = await tx.user.findMany({ where: { tenantId, role: 'admin', disabledAt: null }, select: { email: true } });
        const channels = await this.settings.resolve(tx, tenantId);
        // Both thresholds crossed at once make one email, about the higher.
        const percent = Math.max(...fresh);
        const text = this.text(month, percent, units, plan.includedMessages, plan.overageUnitPrice);
        if (admins.length) {
          await this.email.send({
            from: channels.email,
            to: admins.map((a) => a.email).join(', '),
            subject: `【anpi】メッセージパックの${percent}%に達しました / ${percent}% of your message pack used (${month})`,
            text,
            html: plainTextHtml(text),
          });
        }
        this.logger.log({ msg: 'usage threshold crossed', tenantId, month, percent, admins: admins.length });
        return fresh;
      },
      { timeout: 30_000 },
    );
  }

  private text(month: string, percent: number, units: number, included: number, unitPrice: number): string {
    const n = (v: number) => v.toLocaleString('en-US');
    return [
      `${month} のご利用通数が、メッセージパック ${n(included)} 通の ${percent}% に達しました (${n(units)} 通)。`,
      percent >= 100
        ? `パックを超えた分は 1 通 ${unitPrice} 円 (税抜) で請求されます。安否確認の送信が止まることはありません。`
        : `パックを超えた分は 1 通 ${unitPrice} 円 (税抜) で請求されます。`,
      '',
      `Your messages in ${month} have reached ${percent}% of your ${n(included)}-message pack (${n(units)} sent).`,
      `Messages over the pack are billed at ${unitPrice} yen each before tax.${percent >= 100 ? ' Alerts are never stopped.' : ''}`,
      '',
      `ご利用状況 / Usage: ${this.config.publicBaseUrl}/v1/billing/usage?month=${month}`,
    ].join('\n');
  }
}
