import { Module } from '@nestjs/common';
import { AutomaticAlertsModule } from '#anpi/alerts';
import { AuditModule } from '#anpi/audit';
import { ChannelsModule } from '#anpi/channels';
import { JmaModule } from '#anpi/jma';
import { AdminNotices } from './admin-notices.js';
import { AutoLaunchPlanner } from './auto-launch-planner.js';
import { AutoLaunchesService } from './auto-launches.service.js';
import { AutoLaunchRulesService } from './rules.service.js';
import { TelegramEvaluation } from './telegram-evaluation.js';
import { LocationChecks } from './location-checks.js';

/** Rules and what automatic launch did (api side). */
@Module({
  imports: [AuditModule, AutomaticAlertsModule, JmaModule],
  providers: [AutoLaunchRulesService, AutoLaunchesService],
  exports: [AutoLaunchRulesService, AutoLaunchesService],
})
export class AutoLaunchModule {}

/** Deciding what each telegram launches (worker side). */
@Module({
  imports: [AuditModule, ChannelsModule, AutomaticAlertsModule, JmaModule],
  providers: [AdminNotices, AutoLaunchPlanner, TelegramEvaluation, LocationChecks],
})
export class AutoLaunchWorkerModule {}
