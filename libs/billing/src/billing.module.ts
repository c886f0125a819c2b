import { Module } from '@nestjs/common';
import { AuditModule } from '#anpi/audit';
import { ChannelsModule } from '#anpi/channels';
import { BillingJobs } from './billing-jobs.js';
import { InvoicesService } from './invoices/invoices.service.js';
import { MonthCloser } from './invoices/month-closer.js';
import { PlansService } from './plans.service.js';
import { LineReconciler } from './reconciliation/line-reconciler.js';
import { ReconciliationsService } from './reconciliation/reconciliations.service.js';
import { TenantPlansService } from './tenant-plans.service.js';
import { UsageMeter } from './usage/usage-meter.js';
import { UsageReport } from './usage/usage-report.js';
import { UsageThresholds } from './usage/usage-thresholds.js';
import { UsageWatch } from './usage/usage-watch.js';

/** Plans, invoices, usage and reconciliation as the api serves them (the operator's re-runs too). */
@Module({
  imports: [AuditModule, ChannelsModule],
  providers: [PlansService, TenantPlansService, UsageMeter, MonthCloser, InvoicesService, UsageReport, LineReconciler, ReconciliationsService],
  exports: [PlansService, TenantPlansService, UsageMeter, MonthCloser, InvoicesService, UsageReport, LineReconciler, ReconciliationsService],
})
export class BillingModule {}

/** What a send tells billing: that units were recorded (for the threshold emails). */
@Module({ providers: [UsageWatch], exports: [UsageWatch] })
export class UsageWatchModule {}

/** Worker side: the monthly close, threshold emails and the daily reconciliation. */
@Module({
  imports: [BillingModule, ChannelsModule],
  providers: [UsageThresholds, BillingJobs],
})
export class BillingJobsModule {}
