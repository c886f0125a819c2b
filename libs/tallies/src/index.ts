export { TalliesModule, TallyRefreshModule } from './tallies.module.js';
export { TallyService, type TallyBody } from './tally.service.js';
export { TallyNotifier } from './tally-notifier.js';
export { TallyCache } from './tally-cache.js';
export { DepartmentTally } from './department-tally.js';
export { TallyView, Counts, DepartmentCounts, ChannelCounts } from './tally.types.js';
