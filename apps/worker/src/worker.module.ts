import { DynamicModule, Module } from '@nestjs/common';
import { AccountsModule } from '#anpi/accounts';
import { AppConfig, AppConfigModule } from '#anpi/config';
import { DbModule } from '#anpi/db';
import { HealthModule } from '#anpi/health';
import { JobRegistryModule, QueueModule } from '#anpi/queue';
import { RedisModule } from '#anpi/redis';
import { MaintenanceProcessor } from './processors/maintenance.processor.js';
import { WorkerSchedules } from './schedules.js';

@Module({})
export class WorkerModule {
  static register(config: AppConfig, options: { schedules?: boolean } = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [AppConfigModule.forRoot(config), DbModule, RedisModule, QueueModule, JobRegistryModule, AccountsModule, HealthModule],
      providers: [MaintenanceProcessor, ...(options.schedules === false ? [] : [WorkerSchedules])],
    };
  }
}
