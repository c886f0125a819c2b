import autocannon from 'autocannon';

/** What one step of a closed-loop load measured. */
export interface StepLoad {
  ok: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/**
 * One step of a closed-loop load over loopback: `amount` requests over `connections` (autocannon),
 * each shaped by `shape`. Timed until the last response arrived: autocannon notices it only at its
 * next one-second tick.
 */
export async function runStep(
  url: string,
  connections: number,
  amount: number,
  method: 'GET' | 'POST',
  shape: (request: autocannon.Request) => autocannon.Request,
): Promise<StepLoad> {
  const started = performance.now();
  let last = started;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon({ url, connections, amount, timeout: 30, requests: [{ method, setupRequest: shape }] }, (error, done) =>
      error ? reject(error) : resolve(done),
    );
    run.on('response', () => (last = performance.now()));
  });
  const ok = result['2xx'];
  return {
    ok,
    perSecond: Math.round(ok / ((last - started) / 1000)),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}
