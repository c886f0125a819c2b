import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '#anpi/accounts';
import type { Actor } from '#anpi/audit';
import { AutoLaunchesService, AutoLaunchPage, AutoLaunchView, ListAutoLaunchesQuery } from '#anpi/auto-launch';
import type { TenantId } from '#anpi/db';
import { CurrentActor, CurrentTenant, UuidPipe } from '../http/params.js';

@ApiTags('automatic launch')
@Authenticated('admin')
@Controller('v1/auto-launches')
export class AutoLaunchesController {
  constructor(private readonly launches: AutoLaunchesService) {}

  @ApiOperation({ summary: 'What JMA telegrams launched, suppressed or cancelled; ?state=pending for launches still in their hold' })
  @Get()
  @ApiOkResponse({ type: AutoLaunchPage })
  list(@CurrentTenant() tenant: TenantId, @Query() query: ListAutoLaunchesQuery): Promise<AutoLaunchPage> {
    return this.launches.list(tenant, query);
  }

  @ApiOperation({ summary: 'Cancel an automatic launch during its hold (nothing is sent)' })
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: AutoLaunchView })
  cancel(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<AutoLaunchView> {
    return this.launches.cancel(tenant, actor, id);
  }
}
