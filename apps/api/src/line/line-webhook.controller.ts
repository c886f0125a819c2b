import { Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '#anpi/accounts';
import { LineWebhookIntake } from '#anpi/line';
import { BadRequestError, UnauthorizedError } from '#anpi/errors';

/**
 * LINE's webhook, one URL per channel (/line/webhook/platform, or /line/webhook/<channel id>).
 * The body arrives as raw bytes (see configureApi) because the signature covers exactly them.
 */
@ApiTags('line')
@Public()
@Controller('line/webhook')
export class LineWebhookController {
  constructor(private readonly intake: LineWebhookIntake) {}

  @Post(':channelKey')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  async receive(
    @Param('channelKey') channelKey: string,
    @Headers('x-line-signature') signature: string | undefined,
    @Req() req: Request,
  ): Promise<{ received: number }> {
    const result = await this.intake.accept(channelKey, req.body, signature);
    if (result.status === 'unauthorized') throw new UnauthorizedError('Missing or invalid x-line-signature for this channel');
    if (result.status === 'malformed') throw new BadRequestError('The body is not a LINE webhook body (no events array)');
    return { received: result.events };
  }
}
