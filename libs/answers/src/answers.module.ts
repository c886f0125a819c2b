import { Module } from '@nestjs/common';
import { AlertsModule } from '#anpi/alerts';
import { AuditModule } from '#anpi/audit';
import { DirectoryModule } from '#anpi/directory';
import { TalliesModule } from '#anpi/tallies';
import { AnswerGroupCommit } from './answer-group-commit.js';
import { AnswerLinks } from './answer-links.js';
import { AnswerRecorder } from './answer-recorder.js';
import { ResolvedAnswerGroup } from './resolved-answer-group.js';
import { PageViewGroup } from './page-view-group.js';
import { BroadcastContentCache } from './broadcast-content-cache.js';
import { AnswersExport } from './answers-export.js';
import { AnswersService } from './answers.service.js';
import { RecipientsService } from './recipients.service.js';

/** Recording an answer for a resolved context: all the worker needs (the LINE one-tap). */
@Module({
  imports: [AuditModule, TalliesModule],
  providers: [AnswerRecorder, ResolvedAnswerGroup],
  exports: [AnswerRecorder],
})
export class AnswerRecordingModule {}

/** The api side: answer links and the answer page's group commits, recipients lists, the CSV, proxy answers. */
@Module({
  imports: [AuditModule, AlertsModule, DirectoryModule, TalliesModule, AnswerRecordingModule],
  providers: [AnswerLinks, AnswerGroupCommit, PageViewGroup, BroadcastContentCache, AnswersService, RecipientsService, AnswersExport],
  exports: [AnswerLinks, AnswersService, RecipientsService, AnswersExport],
})
export class AnswersModule {}
