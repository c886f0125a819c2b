import type { Job } from 'bullmq';
import { TransientDeliveryError } from '#anpi/channels';

/** How long a send job may keep waiting on a provider's Retry-After before attempts count again. */
const MAX_THROTTLED_MS = 10 * 60_000;
/** One wait is at most this long, whatever the provider says. */
const MAX_WAIT_MS = 60_000;

/**
 * A provider that answers "too many requests, retry after N s" is not failing: the job goes back
 * to the queue for that long without spending one of its attempts (the caller then throws
 * BullMQ's DelayedError), so a provider throttling for a while never turns into failed
 * deliveries. After MAX_THROTTLED_MS of this the ordinary retries (and their limit) take over.
 * Returns false when the error is anything else.
 */
export async function waitAsProviderAsked(job: Job, error: unknown): Promise<boolean> {
  if (!(error instanceof TransientDeliveryError) || typeof error.retryAfterMs !== 'number' || !job.token) return false;
  const data = job.data as { throttledSince?: number };
  const since = data.throttledSince ?? Date.now();
  if (Date.now() - since > MAX_THROTTLED_MS) return false;
  if (data.throttledSince === undefined) await job.updateData({ ...job.data, throttledSince: since });
  await job.moveToDelayed(Date.now() + Math.min(Math.max(error.retryAfterMs, 100), MAX_WAIT_MS), job.token);
  return true;
}
