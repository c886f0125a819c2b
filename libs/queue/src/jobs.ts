/**
 * Every queue and every job anpi runs. The worker refuses to start unless each job here has
 * exactly one handler (see JobRegistry), so a job can never sit in Redis with nobody to run it.
 */
export const QueueName = {
  Maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  PurgeExpiredRefreshTokens: 'accounts.purge-expired-refresh-tokens',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

export const JOB_QUEUE: Readonly<Record<JobName, QueueName>> = {
  [JobName.PurgeExpiredRefreshTokens]: QueueName.Maintenance,
};

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
export const ALL_JOBS: readonly JobName[] = Object.values(JobName);
