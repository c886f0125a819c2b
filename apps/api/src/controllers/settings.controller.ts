import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Authenticated } from '#anpi/accounts';
import type { Actor } from '#anpi/audit';
import type { TenantId } from '#anpi/db';
import { TenantSettingsService, TenantSettingsView, UpdateTenantSettingsDto } from '#anpi/tenancy';
import { CurrentActor, CurrentTenant } from '../http/params.js';

@ApiTags('settings')
@Authenticated('admin')
@Controller('v1/settings')
export class SettingsController {
  constructor(private readonly settings: TenantSettingsService) {}

  @ApiOperation({ summary: "Read the tenant's settings" })
  @Get()
  @ApiOkResponse({ type: TenantSettingsView })
  get(@CurrentTenant() tenant: TenantId): Promise<TenantSettingsView> {
    return this.settings.get(tenant);
  }

  @ApiOperation({ summary: "Change the tenant's settings (audited)" })
  @Patch()
  @ApiOkResponse({ type: TenantSettingsView })
  update(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Body() dto: UpdateTenantSettingsDto): Promise<TenantSettingsView> {
    return this.settings.update(tenant, actor, dto);
  }
}
