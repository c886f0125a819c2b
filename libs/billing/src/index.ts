export { BillingModule } from './billing.module.js';
export { PlansService } from './plans.service.js';
export { TenantPlansService } from './tenant-plans.service.js';
export { billingMonthOf, nextMonth, firstDay } from './billing-month.js';
export * from './dto/plan.dto.js';
