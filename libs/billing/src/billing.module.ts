import { Module } from '@nestjs/common';
import { AuditModule } from '#anpi/audit';
import { PlansService } from './plans.service.js';
import { TenantPlansService } from './tenant-plans.service.js';

/** Plans and which tenant is on which, month by month. */
@Module({
  imports: [AuditModule],
  providers: [PlansService, TenantPlansService],
  exports: [PlansService, TenantPlansService],
})
export class BillingModule {}
