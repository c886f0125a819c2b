import { Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '#anpi/accounts';
import { EmailEventIntake } from '#anpi/email-events';
import { BadRequestError, UnauthorizedError } from '#anpi/errors';

/**
 * SendGrid's Event Webhook, one URL per account (/email/events/platform, or /email/events/<tenant
 * id> for a tenant's own). The body arrives as raw bytes (see configureApi): the signature covers
 * exactly them.
 */
@ApiTags('email')
@Public()
@Controller('email/events')
export class EmailEventsController {
  constructor(private readonly intake: EmailEventIntake) {}

  @Post(':channelKey')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  async receive(
    @Param('channelKey') channelKey: string,
    @Headers('x-twilio-email-event-webhook-signature') signature: string | undefined,
    @Headers('x-twilio-email-event-webhook-timestamp') timestamp: string | undefined,
    @Req() req: Request,
  ): Promise<{ received: number; applied: number }> {
    const result = await this.intake.accept(channelKey, req.body, signature, timestamp);
    if (result.status === 'unauthorized') throw new UnauthorizedError(result.reason);
    if (result.status === 'malformed') throw new BadRequestError('The body is not an Event Webhook body (a JSON array of events with sg_event_id)');
    return { received: result.events, applied: result.fresh };
  }
}
