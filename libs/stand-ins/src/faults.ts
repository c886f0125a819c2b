/** What a stand-in should do to the next matching requests instead of (or after) serving them. */
export interface Fault {
  /** HTTP status (or SMTP code) to answer with. */
  status: number;
  /** How many requests this applies to (ignored with `until`). */
  times: number;
  /** Instead of a count: every request until this time (epoch ms), e.g. a provider throttling for 20 s. */
  until?: number;
  /** Retry-After header, in seconds. */
  retryAfter?: number;
  /** 'before': refuse without delivering; 'after': deliver, then answer with the error (a lost response). */
  when?: 'before' | 'after';
  /** Delay the answer by this many milliseconds (a hanging provider). */
  delayMs?: number;
  body?: unknown;
}

export class Faults {
  private readonly queue: Fault[] = [];

  add(fault: Fault): void {
    this.queue.push({ when: 'before', ...fault });
  }

  /** The fault for the next request, if any. */
  take(): Fault | null {
    for (;;) {
      const fault = this.queue[0];
      if (!fault) return null;
      if (fault.until !== undefined) {
        if (Date.now() >= fault.until) {
          this.queue.shift();
          continue;
        }
        return { ...fault };
      }
      if (--fault.times <= 0) this.queue.shift();
      return { ...fault };
    }
  }

  clear(): void {
    this.queue.length = 0;
  }
}
