export { QueueModule, JobRegistryModule } from './queue.module.js';
export { JobRegistry, MissingJobHandlerError } from './job-registry.js';
export { JobHandler, JOB_HANDLER } from './job-handler.decorator.js';
export { QueueName, JobName, JOB_QUEUE, ALL_QUEUES, ALL_JOBS } from './jobs.js';
export { GracefulWorkerHost } from './graceful-worker-host.js';
export { PROVIDER_BACKOFF, providerBackoff, isFinalAttempt } from './provider-backoff.js';
export { queueCoalesced, type CoalescedJob } from './coalesced-job.js';
