import { Queue, Worker } from 'bullmq';
import pg from 'pg';

export interface BaselinesResult {
  /** No-op BullMQ jobs per second: added in bulk, processed by one worker on the same Redis. */
  bullmqJobsPerSecond: number;
  bullmqJobs: number;
  /** Rows per second of batched INSERTs into a table shaped like deliveries (same columns and indexes). */
  postgresRowsPerSecond: number;
  postgresRows: number;
}

/**
 * What this machine does with no anpi code in the way, measured in the same run: the ceiling the
 * fan-out's jobs and the answers' writes can be read against.
 */
export async function baselinesScenario(env: Record<string, string>, jobs = 20_000, rows = 200_000): Promise<BaselinesResult> {
  const connection = { url: env.REDIS_URL ?? 'redis://127.0.0.1:6379', maxRetriesPerRequest: null };
  const prefix = `${env.REDIS_PREFIX}:baseline`;
  const queue = new Queue('noop', { connection, prefix });
  let done = 0;
  let finished!: () => void;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const worker = new Worker(
    'noop',
    async () => {
      if (++done === jobs) finished();
    },
    { connection, prefix, concurrency: 50, removeOnComplete: { count: 0 } },
  );
  const started = performance.now();
  for (let i = 0; i < jobs; i += 1000) await queue.addBulk(Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({ name: 'noop', data: { i: i + k } })));
  await allDone;
  const bullmqSeconds = (performance.now() - started) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();

  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  try {
    await db.query('DROP TABLE IF EXISTS bench_deliveries');
    await db.query('CREATE TABLE bench_deliveries (LIKE deliveries INCLUDING DEFAULTS INCLUDING INDEXES)');
    const batch = 1000;
    const t = performance.now();
    for (let i = 0; i < rows; i += batch) {
      await db.query(
        `INSERT INTO bench_deliveries (id, tenant_id, broadcast_id, recipient_id, channel, contact_index, round, batch, state, updated_at)
         SELECT gen_random_uuid(), '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002',
                gen_random_uuid(), 'email', 0, 0, g / 100, 'pending', now()
         FROM generate_series($1::int, $2::int) g`,
        [i, i + batch - 1],
      );
    }
    const postgresSeconds = (performance.now() - t) / 1000;
    await db.query('DROP TABLE bench_deliveries');
    return {
      bullmqJobsPerSecond: Math.round(jobs / bullmqSeconds),
      bullmqJobs: jobs,
      postgresRowsPerSecond: Math.round(rows / postgresSeconds),
      postgresRows: rows,
    };
  } finally {
    await db.end();
  }
}
