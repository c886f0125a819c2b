import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AccountsModule } from '#anpi/accounts';
import { AlertsModule } from '#anpi/alerts';
import { AnswersModule } from '#anpi/answers';
import { AuditModule } from '#anpi/audit';
import { BillingModule } from '#anpi/billing';
import { ChannelsModule } from '#anpi/channels';
import { AppConfig, AppConfigModule } from '#anpi/config';
import { DbModule } from '#anpi/db';
import { DirectoryModule } from '#anpi/directory';
import { HealthModule } from '#anpi/health';
import { LineModule } from '#anpi/line';
import { QueueModule } from '#anpi/queue';
import { RedisModule } from '#anpi/redis';
import { TalliesModule } from '#anpi/tallies';
import { TenancyModule } from '#anpi/tenancy';
import { AnswerPageController } from './answer-page/answer-page.controller.js';
import { BadLinkLimiter } from './answer-page/bad-link-limiter.js';
import { BroadcastResultsController } from './controllers/broadcast-results.controller.js';
import { ApiKeysController } from './controllers/api-keys.controller.js';
import { AuditLogController } from './controllers/audit-log.controller.js';
import { AuthController } from './controllers/auth.controller.js';
import { ConsoleSessionController } from './controllers/console-session.controller.js';
import { BroadcastsController } from './controllers/broadcasts.controller.js';
import { ChannelSettingsController } from './controllers/channel-settings.controller.js';
import { TemplatesController } from './controllers/templates.controller.js';
import { DepartmentsController } from './controllers/departments.controller.js';
import { PlansController } from './controllers/plans.controller.js';
import { BillingController } from './controllers/billing.controller.js';
import { EmployeesController } from './controllers/employees.controller.js';
import { SettingsController } from './controllers/settings.controller.js';
import { TenantsController } from './controllers/tenants.controller.js';
import { UsersController } from './controllers/users.controller.js';
import { AutoLaunchRulesController } from './controllers/auto-launch-rules.controller.js';
import { AutoLaunchesController } from './controllers/auto-launches.controller.js';
import { TelegramsController } from './controllers/telegrams.controller.js';
import { AutoLaunchModule } from '#anpi/auto-launch';
import { JmaModule } from '#anpi/jma';
import { AuthGuard } from './http/auth.guard.js';
import { InboxController } from './line/inbox.controller.js';
import { LineLinksController } from './line/line-links.controller.js';
import { LineWebhookController } from './line/line-webhook.controller.js';
import { EmailEventsController } from './email/email-events.controller.js';
import { EmailEventsModule } from '#anpi/email-events';
import { LineWorksModule } from '#anpi/lineworks';
import { MetricsModule } from '#anpi/metrics';
import { LineWorksCallbackController } from './lineworks/lineworks-callback.controller.js';
import { LinkPageController } from './line/link-page.controller.js';
import { HttpErrorFilter } from './http/http-error.filter.js';

@Module({})
export class ApiModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        AppConfigModule.forRoot(config),
        DbModule,
        RedisModule,
        QueueModule,
        AuditModule,
        AccountsModule,
        TenancyModule,
        DirectoryModule,
        ChannelsModule,
        AlertsModule,
        TalliesModule,
        AnswersModule,
        LineModule,
        EmailEventsModule,
        LineWorksModule,
        BillingModule,
        JmaModule,
        AutoLaunchModule,
        HealthModule,
        MetricsModule,
      ],
      // Express tries routes in this order, one path match each, until one fits: the answer page,
      // the route of the worst day's flood, comes first.
      controllers: [
        AnswerPageController,
        TenantsController,
        AuthController,
        ConsoleSessionController,
        UsersController,
        ApiKeysController,
        AuditLogController,
        SettingsController,
        ChannelSettingsController,
        TemplatesController,
        BroadcastsController,
        BroadcastResultsController,
        DepartmentsController,
        EmployeesController,
        LineWebhookController,
        EmailEventsController,
        LineWorksCallbackController,
        LinkPageController,
        LineLinksController,
        InboxController,
        PlansController,
        BillingController,
        AutoLaunchRulesController,
        AutoLaunchesController,
        TelegramsController,
      ],
      providers: [{ provide: APP_GUARD, useClass: AuthGuard }, { provide: APP_FILTER, useClass: HttpErrorFilter }, BadLinkLimiter],
    };
  }
}
