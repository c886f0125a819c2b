import { Readable } from 'node:stream';
import { Body, Controller, Get, Headers, Param, Post, Query, Res, Sse, StreamableFile, type MessageEvent } from '@nestjs/common';
import type { Response } from 'express';
import { ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiQuery, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Observable, map } from 'rxjs';
import { Authenticated } from '#anpi/accounts';
import { AnswersExport, AnswersService, AnswerView, ProxyAnswerDto, RecipientPage, RecipientsQuery, RecipientsService } from '#anpi/answers';
import type { Actor } from '#anpi/audit';
import type { DirectoryViewer } from '#anpi/directory';
import { TallyService, TallyView } from '#anpi/tallies';
import { IdempotencyKey } from '../http/idempotency-key.decorator.js';
import { acceptsGzip, jsonBody } from '../http/json-body.js';
import { CurrentActor, UuidPipe } from '../http/params.js';
import { Viewer } from '../http/viewer.decorator.js';
import { TallyQuery } from './tally.query.js';

/** What came back from a broadcast: tallies (live too), who has not answered, the answers as CSV. */
@ApiTags('alerts: answers and tallies')
@Controller('v1/broadcasts/:id')
export class BroadcastResultsController {
  constructor(
    private readonly tallies: TallyService,
    private readonly recipients: RecipientsService,
    private readonly answers: AnswersService,
    private readonly exporter: AnswersExport,
  ) {}

  @ApiOperation({ summary: 'Per-department tally' })
  @Get('tally')
  @Authenticated('admin', 'department_head')
  @ApiOkResponse({ type: TallyView, description: 'Department heads get their subtrees only; outside them is 403' })
  async tally(
    @Viewer() viewer: DirectoryViewer,
    @Param('id', UuidPipe) id: string,
    @Query() query: TallyQuery,
    @Headers('accept-encoding') acceptEncoding: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return jsonBody(res, await this.tallies.read(viewer, id, query.department, acceptsGzip(acceptEncoding)));
  }

  @ApiOperation({ summary: 'Live tally (Server-Sent Events)' })
  @Sse('tally/stream')
  @Authenticated('admin', 'department_head')
  @ApiProduces('text/event-stream')
  @ApiQuery({ name: 'department', required: false })
  @ApiOkResponse({ description: 'Server-Sent Events named "tally": the tally now, then each update within a second of the change' })
  async stream(@Viewer() viewer: DirectoryViewer, @Param('id', UuidPipe) id: string, @Query() query: TallyQuery): Promise<Observable<MessageEvent>> {
    return (await this.tallies.stream(viewer, id, query.department)).pipe(map((tally) => ({ type: 'tally', data: tally })));
  }

  @ApiOperation({ summary: 'Who has (not) answered' })
  @Get('recipients')
  @Authenticated('admin', 'department_head')
  @ApiOkResponse({ type: RecipientPage, description: 'For phoning round: ?state=unanswered' })
  list(@Viewer() viewer: DirectoryViewer, @Param('id', UuidPipe) id: string, @Query() query: RecipientsQuery): Promise<RecipientPage> {
    return this.recipients.list(viewer, id, query);
  }

  @ApiOperation({ summary: 'Answers as CSV' })
  @Get('answers.csv')
  @Authenticated('admin', 'department_head')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'One row per recipient; UTF-8 with BOM' })
  async csv(@Viewer() viewer: DirectoryViewer, @CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<StreamableFile> {
    return new StreamableFile(Readable.from(await this.exporter.open(viewer, actor, id)), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="answers-${id}.csv"`,
    });
  }

  @ApiOperation({ summary: 'Record a proxy answer (代理回答)' })
  @Post('recipients/:recipientId/answer')
  @Authenticated('admin', 'department_head')
  @ApiCreatedResponse({
    type: AnswerView,
    description:
      'Recorded as a proxy answer, with who entered it, in the audit log. Department heads: their subtrees, when the tenant setting headsSeeContacts is on',
  })
  proxy(
    @Viewer() viewer: DirectoryViewer,
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Param('recipientId', UuidPipe) recipientId: string,
    @Body() dto: ProxyAnswerDto,
    @IdempotencyKey() key?: string,
  ): Promise<AnswerView> {
    return this.answers.proxy(viewer, actor, id, recipientId, dto, key) as Promise<AnswerView>;
  }
}
