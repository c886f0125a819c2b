import { Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '#anpi/accounts';
import { BadRequestError, UnauthorizedError } from '#anpi/errors';
import { LineWorksCallbackIntake } from '#anpi/lineworks';

/**
 * A LINE WORKS bot's Callback URL, one per bot (/lineworks/callback/<bot id>). The body arrives as
 * raw bytes (see configureApi): X-WORKS-Signature covers exactly them.
 */
@ApiTags('lineworks')
@Public()
@Controller('lineworks/callback')
export class LineWorksCallbackController {
  constructor(private readonly intake: LineWorksCallbackIntake) {}

  @Post(':botId')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  async receive(
    @Param('botId') botId: string,
    @Headers('x-works-signature') signature: string | undefined,
    @Req() req: Request,
  ): Promise<{ received: boolean }> {
    const result = await this.intake.accept(botId, req.body, signature);
    if (result.status === 'unauthorized') throw new UnauthorizedError('Missing or invalid X-WORKS-Signature for this bot');
    if (result.status === 'malformed') throw new BadRequestError('The body is not a LINE WORKS callback event (no type)');
    return { received: result.fresh };
  }
}
