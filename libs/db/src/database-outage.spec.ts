import { retryWhileDatabaseUnavailable } from './database-outage.js';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('retryWhileDatabaseUnavailable', () => {
  it('runs the work again while the database is unreachable, then returns its result', async () => {
    let calls = 0;
    const result = await retryWhileDatabaseUnavailable(
      async () => {
        if (++calls < 4) throw refused();
        return 'recorded';
      },
      { totalMs: 1_000, firstPauseMs: 5 },
    );
    expect(result).toBe('recorded');
    expect(calls).toBe(4);
  });

  it('throws any other error at once', async () => {
    let calls = 0;
    const failing = retryWhileDatabaseUnavailable(
      async () => {
        calls++;
        throw Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
      },
      { totalMs: 1_000, firstPauseMs: 5 },
    );
    await expect(failing).rejects.toThrow('duplicate key');
    expect(calls).toBe(1);
  });

  it('gives up with the last error when the outage outlasts its patience', async () => {
    let calls = 0;
    const started = Date.now();
    const failing = retryWhileDatabaseUnavailable(
      async () => {
        calls++;
        throw refused();
      },
      // Pauses far shorter than the patience: timers fire late on a loaded machine (a 100 ms
      // patience with 10–20 ms pauses once left room for only two calls).
      { totalMs: 1_000, firstPauseMs: 5, maxPauseMs: 10 },
    );
    await expect(failing).rejects.toThrow('ECONNREFUSED');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(calls).toBeGreaterThan(2);
  });
});
