import type { Job } from 'bullmq';
import { ProviderThrottledError, TransientDeliveryError } from '#anpi/channels';

/** How long a send job may keep waiting on a provider's Retry-After before attempts count again. */
const MAX_THROTTLED_MS = 10 * 60_000;
/** One wait is at most this long, whatever the provider says. */
const MAX_WAIT_MS = 60_000;
/**
 * A 429 without Retry-After: waits from the job's backoff delay (DELIVERY_BACKOFF_MS, 1 s), doubling
 * up to this, a fifth either way at random.
 */
const THROTTLED_WAIT_CAP_MS = 30_000;

/**
 * A provider that answers "too many requests, retry after N s" is not failing: the job goes back
 * to the queue for that long without spending one of its attempts (the caller then throws
 * BullMQ's DelayedError), so a provider throttling for a while never turns into failed
 * deliveries. A 429 without Retry-After (LINE's way) is waited out the same way, for a growing
 * while. After MAX_THROTTLED_MS of this the ordinary retries (and their limit) take over.
 * Returns how many milliseconds the job was put back for, or null when the error is anything else.
 */
export async function waitAsProviderAsked(job: Job, error: unknown): Promise<number | null> {
  if (!(error instanceof TransientDeliveryError) || !job.token) return null;
  const asked = typeof error.retryAfterMs === 'number';
  if (!asked && !(error instanceof ProviderThrottledError)) return null;
  const data = job.data as { throttledSince?: number; throttledWaits?: number };
  const since = data.throttledSince ?? Date.now();
  if (Date.now() - since > MAX_THROTTLED_MS) return null;
  const waits = data.throttledWaits ?? 0;
  await job.updateData({ ...job.data, throttledSince: since, throttledWaits: waits + 1 });
  const first = typeof job.opts.backoff === 'object' && job.opts.backoff.delay ? job.opts.backoff.delay : 1_000;
  const wait = asked ? error.retryAfterMs! : Math.min(first * 2 ** waits, THROTTLED_WAIT_CAP_MS) * (0.8 + Math.random() * 0.4);
  const delay = Math.min(Math.max(wait, 100), MAX_WAIT_MS);
  await job.moveToDelayed(Date.now() + delay, job.token);
  return delay;
}
