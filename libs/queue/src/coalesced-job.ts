import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export interface CoalescedJob {
  /** Redis key naming what is coalesced (one job per key and window). */
  key: string;
  windowMs: number;
  name: string;
  data: object;
  attempts?: number;
}

/**
 * Queues a job at most once per window for a key, to run when the window ends: every change told
 * within the window is committed before the job runs, so the one job sees them all. Returns
 * whether this call queued it.
 */
export async function queueCoalesced(redis: Redis, queue: Queue, job: CoalescedJob): Promise<boolean> {
  const first = await redis.set(job.key, '1', 'PX', job.windowMs, 'NX');
  if (first !== 'OK') return false;
  await queue.add(job.name, job.data, { delay: job.windowMs, removeOnComplete: true, removeOnFail: 100, ...(job.attempts && { attempts: job.attempts }) });
  return true;
}
