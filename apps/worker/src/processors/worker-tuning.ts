import type { AppConfig } from '#anpi/config';
import { providerBackoff } from '#anpi/queue';

/**
 * @Processor options are fixed at decoration time, but lock duration and stall checks come from
 * configuration. The options objects below read these values through getters when the workers
 * are created (after WorkerModule.register has set them).
 */
const tuning = { lockDuration: 30_000, stalledInterval: 30_000 };

export function tuneWorkers(config: AppConfig): void {
  tuning.lockDuration = config.queue.lockMs;
  tuning.stalledInterval = config.queue.stalledIntervalMs;
}

function options<T extends object>(extra: T) {
  return {
    ...extra,
    get lockDuration() {
      return tuning.lockDuration;
    },
    get stalledInterval() {
      return tuning.stalledInterval;
    },
  };
}

export const PLAIN_WORKER = options({});
// Send jobs retry on the provider's terms: Retry-After when given, exponential with jitter otherwise.
export const DELIVERY_WORKER = options({ settings: { backoffStrategy: providerBackoff } });
