import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '#anpi/accounts';
import { BroadcastLauncher, BroadcastPage, BroadcastsService, BroadcastView, DeliveryPage, LaunchBroadcastDto, ListBroadcastsQuery, ListDeliveriesQuery } from '#anpi/alerts';
import type { Actor } from '#anpi/audit';
import type { TenantId } from '#anpi/db';
import { IdempotencyKey } from '../http/idempotency-key.decorator.js';
import { CurrentActor, CurrentTenant, UuidPipe } from '../http/params.js';

@ApiTags('alerts: broadcasts')
@Authenticated('admin')
@Controller('v1/broadcasts')
export class BroadcastsController {
  constructor(
    private readonly launcher: BroadcastLauncher,
    private readonly broadcasts: BroadcastsService,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Repeating a launch with the same key returns the same broadcast, never a second alert' })
  @ApiAcceptedResponse({ type: BroadcastView, description: 'Accepted; recipients are resolved and alerted by the worker' })
  @ApiConflictResponse({ description: 'The Idempotency-Key was used for a different alert' })
  async launch(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Body() dto: LaunchBroadcastDto, @IdempotencyKey() key?: string): Promise<BroadcastView> {
    return (await this.launcher.launch(tenant, actor, dto, key)).broadcast;
  }

  @Get()
  @Authenticated('admin', 'department_head')
  @ApiOkResponse({ type: BroadcastPage, description: 'Department heads see the list too, to open their tallies' })
  list(@CurrentTenant() tenant: TenantId, @Query() query: ListBroadcastsQuery): Promise<BroadcastPage> {
    return this.broadcasts.list(tenant, query);
  }

  @Get(':id')
  @Authenticated('admin', 'department_head')
  @ApiOkResponse({ type: BroadcastView, description: 'With delivery counts per channel and state' })
  get(@CurrentTenant() tenant: TenantId, @Param('id', UuidPipe) id: string): Promise<BroadcastView> {
    return this.broadcasts.get(tenant, id);
  }

  @Get(':id/deliveries')
  @ApiOkResponse({ type: DeliveryPage })
  deliveries(@CurrentTenant() tenant: TenantId, @Param('id', UuidPipe) id: string, @Query() query: ListDeliveriesQuery): Promise<DeliveryPage> {
    return this.broadcasts.deliveries(tenant, id, query);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: BroadcastView, description: 'Deliveries not yet sent are stopped' })
  cancel(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<BroadcastView> {
    return this.broadcasts.cancel(tenant, actor, id);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOkResponse({ type: BroadcastView, description: 'No more answers are accepted' })
  close(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<BroadcastView> {
    return this.broadcasts.close(tenant, actor, id);
  }
}
