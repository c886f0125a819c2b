import { Module } from '@nestjs/common';
import { JmaFeedClient } from './feed-client.js';
import { JmaFeedPoller } from './feed-poller.js';
import { TelegramIntake } from './telegram-intake.js';
import { TelegramStore } from './telegram-store.js';

/** Telegrams in (by hand on the api, from the feed on the worker) and the platform's list of them. */
@Module({ providers: [TelegramStore, TelegramIntake], exports: [TelegramStore, TelegramIntake] })
export class JmaModule {}

/** Worker side: the feed poller. */
@Module({ imports: [JmaModule], providers: [JmaFeedClient, JmaFeedPoller], exports: [JmaFeedClient, JmaModule] })
export class JmaPollingModule {}
