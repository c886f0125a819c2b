import { jest } from '@jest/globals';
import type { Broadcast } from '#anpi/db';
import { BroadcastContentCache } from './broadcast-content-cache.js';

const broadcast = (id: string) => ({ id, title: `title ${id}` }) as unknown as Broadcast;

describe('BroadcastContentCache', () => {
  afterEach(() => jest.useRealTimers());

  it('keeps a broadcast for a minute, then reads it anew', () => {
    jest.useFakeTimers({ now: new Date('2026-11-23T00:00:00Z') });
    const cache = new BroadcastContentCache();
    cache.set(broadcast('a'));
    expect(cache.get('a')?.title).toBe('title a');
    expect(cache.get('b')).toBeUndefined();
    jest.setSystemTime(new Date('2026-11-23T00:00:59Z'));
    expect(cache.get('a')).toBeDefined();
    jest.setSystemTime(new Date('2026-11-23T00:01:01Z'));
    expect(cache.get('a')).toBeUndefined();
  });

  it('holds at most 500 broadcasts, dropping the oldest first', () => {
    const cache = new BroadcastContentCache();
    for (let i = 0; i < 501; i++) cache.set(broadcast(String(i)));
    expect(cache.get('0')).toBeUndefined();
    expect(cache.get('1')).toBeDefined();
    expect(cache.get('500')).toBeDefined();
  });
});
