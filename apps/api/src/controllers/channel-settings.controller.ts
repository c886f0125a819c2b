import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Authenticated } from '#anpi/accounts';
import type { Actor } from '#anpi/audit';
import { ChannelSettingsService, ChannelSettingsView, LineWorksConnection, LineWorksConnectionView, UpdateChannelSettingsDto } from '#anpi/channels';
import type { TenantId } from '#anpi/db';
import { CurrentActor, CurrentTenant } from '../http/params.js';

@ApiTags('settings')
@Authenticated('admin')
@Controller('v1/settings/channels')
export class ChannelSettingsController {
  constructor(
    private readonly settings: ChannelSettingsService,
    private readonly lineworks: LineWorksConnection,
  ) {}

  @ApiOperation({ summary: 'Read the channel settings (secrets never returned)' })
  @Get()
  @ApiOkResponse({ type: ChannelSettingsView, description: 'Secrets are never returned, only whether they are set' })
  get(@CurrentTenant() tenant: TenantId): Promise<ChannelSettingsView> {
    return this.settings.get(tenant);
  }

  @ApiOperation({ summary: "Connect the tenant's own LINE, LINE WORKS, Twilio or on-duty contacts" })
  @Put()
  @ApiOkResponse({ type: ChannelSettingsView, description: "Parts given replace the tenant's own; null returns that part to the platform default" })
  update(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Body() dto: UpdateChannelSettingsDto): Promise<ChannelSettingsView> {
    return this.settings.update(tenant, actor, dto);
  }

  @ApiOperation({ summary: "LINE WORKS 接続テスト: get an access token with the stored app's credentials" })
  @Post('lineworks/test')
  @HttpCode(200)
  @ApiOkResponse({ type: LineWorksConnectionView, description: 'ok, and what happened in words' })
  testLineWorks(@CurrentTenant() tenant: TenantId): Promise<LineWorksConnectionView> {
    return this.lineworks.test(tenant);
  }
}
