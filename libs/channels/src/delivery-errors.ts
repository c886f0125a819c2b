/** The provider may accept it later: retry with backoff (after `retryAfterMs` when it said so). */
export class TransientDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TransientDeliveryError';
  }
}

/**
 * The provider answered "too many requests" (HTTP 429): it is throttling us, not failing. LINE
 * sends no Retry-After with it, and also answers 429 while another delivery holds the month's
 * remaining message count, which frees up when that delivery ends.
 */
export class ProviderThrottledError extends TransientDeliveryError {
  constructor(message: string, retryAfterMs?: number) {
    super(message, retryAfterMs);
    this.name = 'ProviderThrottledError';
  }
}

/** The provider refused it for good (bad number, unknown user, bad credentials): do not retry. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/** Retry-After as seconds or an HTTP date, in milliseconds. */
export function retryAfterMs(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Rejects with a TransientDeliveryError if `work` takes longer than `ms`: a hung provider is retried, not waited on. */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TransientDeliveryError(`${what}: no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
