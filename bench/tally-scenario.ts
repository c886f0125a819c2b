import pg from 'pg';
import type { DashboardClient } from './dashboard-client.js';
import { json, percentile, type Service } from './support.js';

export interface TallyResult {
  recipients: number;
  answered: number;
  departments: number;
  /** GET /tally when nothing is cached: the full aggregation over every recipient. */
  coldMs: number;
  /** GET /tally served from the cache, as dashboards read it. */
  p50Ms: number;
  p95Ms: number;
  /** The same for a department deep in the tree. */
  deepP50Ms: number;
  deepP95Ms: number;
}

/**
 * Tally reads on the fanned-out broadcast after everyone has answered (through the answer page,
 * in the answers scenario). Cold: the cache entry removed first, so the aggregation runs inside
 * the request.
 */
export async function tallyScenario(
  api: Service,
  env: Record<string, string>,
  token: string,
  tenantId: string,
  broadcastId: string,
  dashboard: DashboardClient,
): Promise<TallyResult> {
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  try {
    const deep = (
      await db.query<{ department_id: string }>(
        `SELECT department_id FROM recipients WHERE broadcast_id = $1 ORDER BY cardinality(department_path) DESC, seq LIMIT 1`,
        [broadcastId],
      )
    ).rows[0]!.department_id;
    const headers = { Authorization: `Bearer ${token}` };
    // The cached tally is stored twice (JSON and gzipped) with its version: all go, so the read
    // really computes.
    const { Redis } = await import('ioredis');
    const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    await redis.del(...['tally', 'tally-gz', 'tally-at'].map((kind) => `${env.REDIS_PREFIX}:${kind}:${tenantId}:${broadcastId}`));
    redis.disconnect();
    const started = performance.now();
    const cold = await json<{ total: { targeted: number; answered: number }; departments: unknown[] }>(
      await fetch(`${api.url}/v1/broadcasts/${broadcastId}/tally`, { headers }),
    );
    const coldMs = performance.now() - started;
    const time = async (query: string) => {
      const times = await dashboard.series({ token, broadcastId }, query, 100);
      return [percentile(times, 0.5), percentile(times, 0.95)] as const;
    };
    const [p50Ms, p95Ms] = await time('');
    const [deepP50Ms, deepP95Ms] = await time(`?department=${deep}`);
    return {
      recipients: cold.total.targeted,
      answered: cold.total.answered,
      departments: cold.departments.length,
      coldMs: Math.round(coldMs),
      p50Ms,
      p95Ms,
      deepP50Ms,
      deepP95Ms,
    };
  } finally {
    await db.end();
  }
}
