import { Module } from '@nestjs/common';
import { AuditModule } from '#anpi/audit';
import { TenantSettingsService } from './tenant-settings.service.js';
import { TenantsService } from './tenants.service.js';

@Module({ imports: [AuditModule], providers: [TenantsService, TenantSettingsService], exports: [TenantsService, TenantSettingsService] })
export class TenancyModule {}
