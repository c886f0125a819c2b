import { Injectable } from '@nestjs/common';
import { JobHandler, JobName } from '#anpi/queue';
import { billingMonthOf, previousMonth } from './billing-month.js';
import { MonthCloser, type CloseReport } from './invoices/month-closer.js';
import { LineReconciler, type ReconcileReport } from './reconciliation/line-reconciler.js';
import { UsageThresholds } from './usage/usage-thresholds.js';

export interface CloseMonthJobData {
  /** The month to close; the scheduled run leaves it out and closes the month before today's (Asia/Tokyo). */
  month?: string;
}

/** The scheduled billing work: the monthly close and the daily reconciliation. */
@Injectable()
export class BillingJobs {
  constructor(
    private readonly closer: MonthCloser,
    private readonly reconciler: LineReconciler,
    private readonly thresholds: UsageThresholds,
  ) {}

  @JobHandler(JobName.CloseBillingMonth)
  close(data: CloseMonthJobData): Promise<CloseReport> {
    return this.closer.closeAll(data.month ?? previousMonth(billingMonthOf(new Date())));
  }

  /** Also re-checks every tenant's thresholds, in case a usage check was lost with Redis. */
  @JobHandler(JobName.ReconcileLineUsage)
  async daily(): Promise<ReconcileReport & { notices: number }> {
    const notices = await this.thresholds.checkAll();
    return { ...(await this.reconciler.reconcileAll()), notices };
  }
}
