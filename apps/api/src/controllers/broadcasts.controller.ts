import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiHeader, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Authenticated } from '#anpi/accounts';
import {
  BroadcastLauncher,
  BroadcastPreviews,
  BroadcastPreviewView,
  BroadcastPage,
  BroadcastsService,
  BroadcastView,
  DeliveryPage,
  LaunchBroadcastDto,
  ListBroadcastsQuery,
  ListDeliveriesQuery,
  ManualReminders,
  ManualReminderView,
} from '#anpi/alerts';
import type { Actor } from '#anpi/audit';
import type { TenantId } from '#anpi/db';
import type { DirectoryViewer } from '#anpi/directory';
import { IdempotencyKey } from '../http/idempotency-key.decorator.js';
import { Viewer } from '../http/viewer.decorator.js';
import { CurrentActor, CurrentTenant, UuidPipe } from '../http/params.js';

@ApiTags('alerts: broadcasts')
@Authenticated('admin')
@Controller('v1/broadcasts')
export class BroadcastsController {
  constructor(
    private readonly launcher: BroadcastLauncher,
    private readonly previews: BroadcastPreviews,
    private readonly broadcasts: BroadcastsService,
    private readonly reminders: ManualReminders,
  ) {}

  @ApiOperation({ summary: 'Launch an alert (安否確認を送信)' })
  @Post()
  @HttpCode(202)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Repeating a launch with the same key returns the same broadcast, never a second alert' })
  @ApiAcceptedResponse({ type: BroadcastView, description: 'Accepted; recipients are resolved and alerted by the worker' })
  @ApiConflictResponse({ description: 'The Idempotency-Key was used for a different alert' })
  async launch(
    @CurrentTenant() tenant: TenantId,
    @CurrentActor() actor: Actor,
    @Body() dto: LaunchBroadcastDto,
    @IdempotencyKey() key?: string,
  ): Promise<BroadcastView> {
    return (await this.launcher.launch(tenant, actor, dto, key)).broadcast;
  }

  @ApiOperation({ summary: 'Preview an alert: what each channel shows and to how many (nothing is sent)' })
  @Post('preview')
  @HttpCode(200)
  @ApiOkResponse({ type: BroadcastPreviewView })
  preview(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Body() dto: LaunchBroadcastDto): Promise<BroadcastPreviewView> {
    return this.previews.preview(tenant, actor, dto);
  }

  @ApiOperation({ summary: 'List broadcasts, newest first' })
  @Get()
  @Authenticated('admin', 'department_head')
  @ApiOkResponse({ type: BroadcastPage, description: 'Department heads see the list too, to open their tallies' })
  list(@Viewer() viewer: DirectoryViewer, @Query() query: ListBroadcastsQuery): Promise<BroadcastPage> {
    return this.broadcasts.list(viewer, query);
  }

  @ApiOperation({ summary: 'Get a broadcast with delivery counts' })
  @Get(':id')
  @Authenticated('admin', 'department_head')
  @ApiOkResponse({ type: BroadcastView, description: 'With delivery counts per channel and state' })
  get(@Viewer() viewer: DirectoryViewer, @Param('id', UuidPipe) id: string): Promise<BroadcastView> {
    return this.broadcasts.get(viewer, id);
  }

  @ApiOperation({ summary: "List a broadcast's deliveries" })
  @Get(':id/deliveries')
  @ApiOkResponse({ type: DeliveryPage })
  deliveries(@CurrentTenant() tenant: TenantId, @Param('id', UuidPipe) id: string, @Query() query: ListDeliveriesQuery): Promise<DeliveryPage> {
    return this.broadcasts.deliveries(tenant, id, query);
  }

  @ApiOperation({ summary: 'Cancel what has not been sent yet' })
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: BroadcastView, description: 'Deliveries not yet sent are stopped' })
  cancel(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<BroadcastView> {
    return this.broadcasts.cancel(tenant, actor, id);
  }

  @ApiOperation({ summary: 'Close: accept no more answers' })
  @Post(':id/close')
  @HttpCode(200)
  @ApiOkResponse({ type: BroadcastView, description: 'No more answers are accepted' })
  close(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<BroadcastView> {
    return this.broadcasts.close(tenant, actor, id);
  }

  @ApiOperation({ summary: 'Re-send now to everyone who has not answered (未回答者に再送)' })
  @Post(':id/remind')
  @HttpCode(202)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Repeating with the same key sends nothing more and answers with the first reminder' })
  @ApiAcceptedResponse({ type: ManualReminderView, description: '「未回答者に再送」: re-sent now to everyone who has not answered, on the channels used' })
  @ApiConflictResponse({ description: 'The broadcast is cancelled, closed or not yet sent' })
  remind(
    @CurrentTenant() tenant: TenantId,
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @IdempotencyKey() key?: string,
  ): Promise<ManualReminderView> {
    return this.reminders.remind(tenant, actor, id, key);
  }
}
