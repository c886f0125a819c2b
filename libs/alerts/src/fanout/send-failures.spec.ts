import { Metrics } from '#anpi/metrics';
import { DelayedError, type Job } from 'bullmq';
import { PermanentDeliveryError, ProviderThrottledError, TransientDeliveryError } from '#anpi/channels';
import { asTenantId, type TenantDb, type Tx } from '#anpi/db';
import type { DeliveryRecorder } from './delivery-recorder.js';
import { SendFailures } from './send-failures.js';

const TENANT = asTenantId('0190f0e0-0000-7000-8000-000000000001');

function setUp() {
  const log: string[] = [];
  const recorder = {
    async failed(_tx: Tx, _t: unknown, ids: string[], reason: string) {
      log.push(`failed ${ids.join(',')}: ${reason}`);
    },
    async completeIfDone(_t: unknown, broadcastId: string) {
      log.push(`completed? ${broadcastId}`);
    },
    async attempted(_tx: Tx, _t: unknown, ids: string[], reason: string) {
      log.push(`attempted ${ids.join(',')}: ${reason}`);
    },
  } as unknown as DeliveryRecorder;
  const db = { run: async <T>(_t: unknown, work: (tx: Tx) => Promise<T>) => work({} as Tx) } as unknown as TenantDb;
  return { failures: new SendFailures(recorder, db, new Metrics()), log };
}

function job(attemptsMade: number): Job & { delayedUntil?: number } {
  const j = {
    attemptsMade,
    opts: { attempts: 6, backoff: { type: 'exponential', delay: 1000 } },
    data: {},
    token: 'lock-token',
    async updateData(data: unknown) {
      j.data = data as object;
    },
    async moveToDelayed(until: number) {
      j.delayedUntil = until;
    },
  } as unknown as Job & { delayedUntil?: number };
  return j;
}

/** The one send-failure policy: each kind of failure, once, for every sender. */
describe('SendFailures', () => {
  it('fails deliveries a provider refused for good and lets the job go on', async () => {
    const { failures, log } = setUp();
    await expect(failures.afterBatchError(job(0), TENANT, 'b', ['d1', 'd2'], new PermanentDeliveryError('blocked'))).resolves.toBeUndefined();
    expect(log).toEqual(['failed d1: blocked', 'failed d2: blocked', 'completed? b']);
  });

  it('waits as a throttling provider asks, without spending an attempt', async () => {
    const { failures, log } = setUp();
    const j = job(0);
    await expect(failures.afterTransientError(j, TENANT, 'b', ['d1'], new ProviderThrottledError('429', 2000))).rejects.toBeInstanceOf(DelayedError);
    expect(log).toEqual(['attempted d1: 429']);
    expect(j.delayedUntil).toBeGreaterThan(Date.now());
  });

  it('retries a transient failure, and fails the deliveries on the last attempt', async () => {
    const { failures, log } = setUp();
    const error = new TransientDeliveryError('503 from provider');
    await expect(failures.afterBatchError(job(0), TENANT, 'b', ['d1'], error)).rejects.toBe(error);
    await expect(failures.afterBatchError(job(5), TENANT, 'b', ['d1'], error)).rejects.toBe(error);
    expect(log).toEqual(['attempted d1: 503 from provider', 'failed d1: 503 from provider', 'completed? b']);
  });

  it('fails a batch that has nothing to send with', async () => {
    const { failures, log } = setUp();
    await failures.cannotSend(TENANT, 'b', ['d1'], 'no SMS sender configured');
    expect(log).toEqual(['failed d1: no SMS sender configured', 'completed? b']);
  });
});
