import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Authenticated } from '#anpi/accounts';
import type { Actor } from '#anpi/audit';
import type { TenantId } from '#anpi/db';
import { InboxMessageView, InboxPage, InboxQuery, InboxReplyDto, InboxService } from '#anpi/line';
import { CurrentActor, CurrentTenant, UuidPipe } from '../http/params.js';

@ApiTags('line: inbox')
@Controller('v1/inbox')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @ApiOperation({ summary: 'What employees wrote on LINE' })
  @Get()
  @Authenticated('admin')
  @ApiOkResponse({ type: InboxPage, description: 'Messages employees wrote to the LINE account, newest first, with who wrote them' })
  list(@CurrentTenant() tenant: TenantId, @Query() query: InboxQuery): Promise<InboxPage> {
    return this.inbox.list(tenant, query.limit, query.offset);
  }

  @ApiOperation({ summary: 'Reply on LINE to an inbox message' })
  @Post(':id/reply')
  @Authenticated('admin')
  @ApiOkResponse({ type: InboxMessageView, description: 'Pushed to the employee on LINE' })
  reply(
    @CurrentTenant() tenant: TenantId,
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body() dto: InboxReplyDto,
  ): Promise<InboxMessageView> {
    return this.inbox.reply(tenant, actor, id, dto.text);
  }
}
