import { isDatabaseUnavailable } from './prisma-errors.js';

export interface OutagePatience {
  /** How long in all to keep trying before giving up with the last error. */
  totalMs: number;
  firstPauseMs?: number;
  maxPauseMs?: number;
}

/**
 * Runs `work`, and runs it again while the database is unreachable (restarting, failing over), for
 * up to `totalMs`; any other error, or the outage outlasting that, is thrown at once. For records
 * of something already done outside the database — messages a provider has accepted — which
 * otherwise make a retried job do it twice. `work` must be idempotent: a commit whose
 * acknowledgement was lost is run again.
 */
export async function retryWhileDatabaseUnavailable<T>(work: () => Promise<T>, patience: OutagePatience): Promise<T> {
  const deadline = Date.now() + patience.totalMs;
  let pause = patience.firstPauseMs ?? 250;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() + pause > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, patience.maxPauseMs ?? 2_000);
    }
  }
}
