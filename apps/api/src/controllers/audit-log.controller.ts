import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Authenticated } from '#anpi/accounts';
import { AuditLog, AuditLogQuery, AuditPage } from '#anpi/audit';
import type { TenantId } from '#anpi/db';
import { CurrentTenant } from '../http/params.js';

@ApiTags('audit log')
@Authenticated('admin')
@Controller('v1/audit-log')
export class AuditLogController {
  constructor(private readonly audit: AuditLog) {}

  @ApiOperation({ summary: 'Read the audit log, newest first' })
  @Get()
  @ApiOkResponse({ type: AuditPage, description: 'Newest first; pass nextCursor as cursor for the next page' })
  list(@CurrentTenant() tenant: TenantId, @Query() query: AuditLogQuery): Promise<AuditPage> {
    return this.audit.list(tenant, query);
  }
}
