import { jest } from '@jest/globals';
import type { Queue } from 'bullmq';
import type { RedisService } from '#anpi/redis';
import { TallyNotifier } from './tally-notifier.js';

/** Just enough of Redis for the notifier: GET, and SET … PX … NX with expiry on the fake clock. */
function fakeRedis() {
  const values = new Map<string, { value: string; until: number }>();
  const calls: string[] = [];
  const redis = {
    key: (...parts: string[]) => ['test', ...parts].join(':'),
    get: async (key: string) => {
      calls.push(`get ${key}`);
      const entry = values.get(key);
      return entry && entry.until > Date.now() ? entry.value : null;
    },
    set: async (key: string, value: string, _px: 'PX', ms: number, _nx: 'NX') => {
      calls.push(`set ${key}`);
      const entry = values.get(key);
      if (entry && entry.until > Date.now()) return null;
      values.set(key, { value, until: Date.now() + ms });
      return 'OK';
    },
  };
  return { redis: redis as unknown as RedisService, calls };
}

describe('TallyNotifier', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-11-23T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('queues one refresh per window and asks Redis nothing more while its own refresh covers the change', async () => {
    const { redis, calls } = fakeRedis();
    const added: { name: string; delay?: number }[] = [];
    const queue = { add: async (name: string, _data: unknown, options: { delay?: number }) => added.push({ name, delay: options.delay }) } as unknown as Queue;
    const notifier = new TallyNotifier(redis, queue);

    await notifier.changed('t1', 'b1');
    expect(added).toEqual([{ name: expect.any(String), delay: 500 }]);
    const asked = calls.length;

    // Within the window (minus the margin): the queued refresh has not started, so it reads these.
    jest.setSystemTime(Date.now() + 350);
    await notifier.changed('t1', 'b1');
    expect(calls.length).toBe(asked);
    expect(added).toHaveLength(1);

    // Too close to the window's end to be sure the refresh has not read yet: ask again; a new window
    // is queued once the old key expired.
    jest.setSystemTime(Date.now() + 100);
    await notifier.changed('t1', 'b1');
    expect(calls.length).toBeGreaterThan(asked);
    jest.setSystemTime(Date.now() + 100);
    await notifier.changed('t1', 'b1');
    expect(added).toHaveLength(2);

    // Another broadcast is not covered by this one's refresh.
    await notifier.changed('t1', 'b2');
    expect(added).toHaveLength(3);
  });

  it('never covers a change when another process queued the window (it cannot know when that refresh runs)', async () => {
    const { redis, calls } = fakeRedis();
    await redis.set(redis.key('tally-scheduled', 'b1'), '1', 'PX', 500, 'NX');
    const queue = { add: async () => undefined } as unknown as Queue;
    const notifier = new TallyNotifier(redis, queue);
    await notifier.changed('t1', 'b1');
    const asked = calls.length;
    await notifier.changed('t1', 'b1');
    expect(calls.length).toBeGreaterThan(asked);
  });
});
