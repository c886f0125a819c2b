import { Controller, Get, Headers, HttpCode, Post, Query, Req, Res, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PlatformOperator } from '#anpi/accounts';
import { ListTelegramsQuery, TelegramIntake, TelegramPage, TelegramStore, TelegramView } from '#anpi/jma';
import { BadRequestError } from '#anpi/errors';

@ApiTags('platform: JMA telegrams')
@PlatformOperator()
@Controller('v1/platform/telegrams')
export class TelegramsController {
  constructor(
    private readonly store: TelegramStore,
    private readonly intake: TelegramIntake,
  ) {}

  @ApiOperation({ summary: 'Telegrams received (feed and by hand), newest first, with what each caused' })
  @Get()
  @ApiOkResponse({ type: TelegramPage })
  list(@Query() query: ListTelegramsQuery): Promise<TelegramPage> {
    return this.store.list(query);
  }

  @ApiOperation({
    summary: 'Submit a telegram by hand (drills, or when the feed is late): the same path as the feed',
    description: '201 when stored now, 200 when the same XML was submitted before. An unreadable telegram is stored as rejected, with the reason.',
  })
  @Post()
  @HttpCode(201)
  @ApiConsumes('application/xml', 'text/xml')
  @ApiBody({ schema: { type: 'string', description: 'The telegram (気象庁防災情報XML), as JMA publishes it' } })
  @ApiCreatedResponse({ type: TelegramView })
  async submit(@Headers('content-type') type: string | undefined, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TelegramView> {
    const body: unknown = req.body;
    if (!/^(application|text)\/xml\b/i.test(type ?? ''))
      throw new UnsupportedMediaTypeException(`Send the telegram as the request body with Content-Type: application/xml; got ${type || 'no Content-Type'}`);
    if (typeof body !== 'string' || body.trim() === '') throw new BadRequestError('The body is empty: send the telegram XML', 'empty_body');
    const { telegram, fresh } = await this.intake.accept({ xml: body, via: 'manual' });
    if (!fresh) res.status(200);
    return telegram;
  }
}
