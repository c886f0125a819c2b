import type { MinimalJob } from 'bullmq';

/** The job option that selects this strategy. */
export const PROVIDER_BACKOFF = 'provider';

/**
 * Backoff for jobs that call a provider: what the provider asked for (Retry-After, carried on the
 * error as `retryAfterMs`), otherwise exponential from the job's base delay with jitter, so a
 * crowd of retries does not arrive all at once.
 */
export function providerBackoff(attemptsMade: number, _type?: string, err?: Error, job?: MinimalJob): number {
  const asked = (err as { retryAfterMs?: number } | undefined)?.retryAfterMs;
  if (typeof asked === 'number' && asked >= 0) return Math.min(asked, 5 * 60_000);
  const backoff = job?.opts.backoff;
  const base = typeof backoff === 'object' && backoff?.delay ? backoff.delay : 1000;
  const exponential = base * 2 ** Math.max(0, attemptsMade - 1);
  return Math.min(exponential * (0.75 + Math.random() * 0.5), 5 * 60_000);
}

/** Is this the job's last attempt (so what it leaves undone must be marked failed, not pending)? */
export function isFinalAttempt(job: MinimalJob): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
