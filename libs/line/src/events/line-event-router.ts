import { Injectable, Logger } from '@nestjs/common';
import { JobHandler, JobName } from '#anpi/queue';
import { LineChannelDirectory } from '../line-channel-directory.js';
import { AccountLinkHandler } from './account-link-handler.js';
import { LineEventClaims } from './line-event-claims.js';
import { FollowHandler } from './follow-handler.js';
import type { LineEvent, LineEventJobData } from './line-event.js';
import type { LineEventLookups } from './line-event-prefetch.js';
import { PostbackHandler } from './postback-handler.js';
import { TextMessageHandler } from './text-message-handler.js';

/**
 * One webhook event per job, handed to its handler once its id is claimed (a redelivery's is
 * taken already, and dropped). Errors propagate (BullMQ retries); handlers are idempotent per
 * event. Events from groups or rooms, and types anpi has no use for, are logged and acknowledged.
 */
@Injectable()
export class LineEventRouter {
  private readonly logger = new Logger('LineEvents');

  constructor(
    private readonly channels: LineChannelDirectory,
    private readonly follows: FollowHandler,
    private readonly accountLinks: AccountLinkHandler,
    private readonly texts: TextMessageHandler,
    private readonly postbacks: PostbackHandler,
    private readonly claims: LineEventClaims,
  ) {}

  @JobHandler(JobName.HandleLineEvent)
  async handle({ channelKey, event, claim }: LineEventJobData): Promise<{ outcome: string }> {
    const [mine] = await this.claims.claim(channelKey, [event], claim);
    return mine ? this.route(channelKey, mine) : { outcome: 'redelivered' };
  }

  /** One event; `lookups` when it is handled in a group that read its links and recipients at once. */
  async route(channelKey: string, event: LineEvent, lookups?: LineEventLookups): Promise<{ outcome: string }> {
    const channel = await this.channels.find(channelKey);
    const userId = event.source?.type === 'user' ? event.source.userId : undefined;
    let outcome = 'ignored';
    if (channel && userId && event.mode !== 'standby') {
      switch (event.type) {
        case 'follow':
          outcome = await this.follows.follow(channel, event, userId);
          break;
        case 'unfollow':
          outcome = await this.follows.unfollow(channel, event, userId);
          break;
        case 'accountLink':
          outcome = await this.accountLinks.handle(channel, event, userId);
          break;
        case 'message':
          outcome = await this.texts.handle(channel, event, userId);
          break;
        case 'postback':
          outcome = await this.postbacks.handle(channel, event, userId, lookups);
          break;
      }
    }
    this.logger.log({ msg: 'line event', channelKey, type: event.type, webhookEventId: event.webhookEventId, outcome });
    return { outcome };
  }
}
