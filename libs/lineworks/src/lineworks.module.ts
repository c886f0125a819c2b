import { Module } from '@nestjs/common';
import { FanoutModule } from '#anpi/alerts';
import { AnswerRecordingModule } from '#anpi/answers';
import { ChannelsModule } from '#anpi/channels';
import { InboxRecorder } from '#anpi/line';
import { LineWorksBotDirectory } from './bot-directory.js';
import { LineWorksCallbackIntake } from './callback-intake.js';
import { LineWorksEventHandler } from './events/lineworks-event-handler.js';
import { LineWorksReplier } from './events/lineworks-replier.js';
import { LineWorksUsers } from './events/lineworks-users.js';

/** LINE WORKS on the api side: the bots' callback intake. */
@Module({
  imports: [ChannelsModule],
  providers: [LineWorksBotDirectory, LineWorksCallbackIntake],
  exports: [LineWorksCallbackIntake],
})
export class LineWorksModule {}

/** LINE WORKS on the worker side: handling callback events (無事です, messages to the bot). */
@Module({
  imports: [ChannelsModule, FanoutModule, AnswerRecordingModule],
  providers: [LineWorksBotDirectory, LineWorksEventHandler, LineWorksReplier, LineWorksUsers, InboxRecorder],
})
export class LineWorksEventsModule {}
