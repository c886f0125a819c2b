import { Module } from '@nestjs/common';
import { AuditModule } from '#anpi/audit';
import { TenantsService } from './tenants.service.js';

@Module({ imports: [AuditModule], providers: [TenantsService], exports: [TenantsService] })
export class TenancyModule {}
