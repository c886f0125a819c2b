import { Module } from '@nestjs/common';
import { DirectoryModule } from '#anpi/directory';
import { DepartmentTally } from './department-tally.js';
import { TallyCache } from './tally-cache.js';
import { TallyNotifier } from './tally-notifier.js';
import { TallyRefresher } from './tally-refresher.js';
import { TallyService } from './tally.service.js';

@Module({
  imports: [DirectoryModule],
  providers: [DepartmentTally, TallyCache, TallyNotifier, TallyService],
  exports: [DepartmentTally, TallyCache, TallyNotifier, TallyService],
})
export class TalliesModule {}

/** Worker side: the refresh job. */
@Module({ imports: [TalliesModule], providers: [TallyRefresher] })
export class TallyRefreshModule {}
