import { DynamicModule, Module } from '@nestjs/common';
import { AccountsModule } from '#anpi/accounts';
import { FanoutModule } from '#anpi/alerts';
import { BillingJobsModule } from '#anpi/billing';
import { AppConfig, AppConfigModule } from '#anpi/config';
import { DbModule } from '#anpi/db';
import { HealthModule } from '#anpi/health';
import { LineEventsModule } from '#anpi/line';
import { LineWorksEventsModule } from '#anpi/lineworks';
import { JobRegistryModule, QueueModule } from '#anpi/queue';
import { RedisModule } from '#anpi/redis';
import { TallyRefreshModule } from '#anpi/tallies';
import { BillingProcessor } from './processors/billing.processor.js';
import { JmaProcessor } from './processors/jma.processor.js';
import { AutoLaunchWorkerModule } from '#anpi/auto-launch';
import { JmaPollingModule } from '#anpi/jma';
import { BroadcastProcessor } from './processors/broadcast.processor.js';
import { EmailDeliveryProcessor, LineDeliveryProcessor, LineWorksDeliveryProcessor, SmsDeliveryProcessor } from './processors/delivery.processors.js';
import { LineEventProcessor, LineWorksEventProcessor } from './processors/line-event.processor.js';
import { TallyProcessor } from './processors/tally.processor.js';
import { MaintenanceProcessor } from './processors/maintenance.processor.js';
import { tuneWorkers } from './processors/worker-tuning.js';
import { WorkerSchedules } from './schedules.js';
import { MetricsModule } from '#anpi/metrics';
import { QueueMetrics } from './queue-metrics.js';
import { JmaPollMetrics } from './jma-poll-metrics.js';

@Module({})
export class WorkerModule {
  static register(config: AppConfig, options: { schedules?: boolean } = {}): DynamicModule {
    tuneWorkers(config);
    return {
      module: WorkerModule,
      imports: [
        AppConfigModule.forRoot(config),
        DbModule,
        RedisModule,
        QueueModule,
        JobRegistryModule,
        AccountsModule,
        FanoutModule,
        TallyRefreshModule,
        LineEventsModule,
        LineWorksEventsModule,
        BillingJobsModule,
        JmaPollingModule,
        AutoLaunchWorkerModule,
        HealthModule,
        MetricsModule,
      ],
      providers: [
        MaintenanceProcessor,
        BroadcastProcessor,
        LineDeliveryProcessor,
        EmailDeliveryProcessor,
        SmsDeliveryProcessor,
        LineWorksDeliveryProcessor,
        TallyProcessor,
        LineEventProcessor,
        LineWorksEventProcessor,
        BillingProcessor,
        JmaProcessor,
        QueueMetrics,
        JmaPollMetrics,
        ...(options.schedules === false ? [] : [WorkerSchedules]),
      ],
    };
  }
}
