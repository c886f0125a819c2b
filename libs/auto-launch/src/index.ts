export { AutoLaunchModule, AutoLaunchWorkerModule } from './auto-launch.module.js';
export { AutoLaunchRulesService } from './rules.service.js';
export { AutoLaunchesService } from './auto-launches.service.js';
export { matchRules, targetsOf, aftershockVerdict, titleOf, unionTargets } from './decision.js';
export * from './dto/auto-launch-rule.dto.js';
export * from './dto/auto-launch.dto.js';
export { LocationChecks, type LocationCheckJob } from './location-checks.js';
