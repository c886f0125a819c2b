import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { DashboardClient } from './dashboard-client.js';
import { percentile, signedAnswerLinks, type Service } from './support.js';
import { runStep } from './load-steps.js';

/** Concurrency steps of the answer load, lowest first. */
const STEPS = [10, 25, 50, 100, 200];

export interface AnswerStep {
  connections: number;
  answers: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** GET /tally (cached) for the company and for the deepest department while this step ran. */
  tally: { p50Ms: number; p95Ms: number; deepP50Ms: number; deepP95Ms: number };
}

export interface AnswersResult {
  steps: AnswerStep[];
  /** The fastest step whose p99 stayed under 100 ms (null if none did). */
  best: AnswerStep | null;
  /** The fastest step whose p99 stayed under 200 ms: the earlier, looser bound. */
  bestUnder200ms?: AnswerStep | null;
  accepted: number;
  /** Answers in the database for the broadcast after the load. */
  stored: number;
  lost: number;
  /**
   * Tally reads while the answers of `best` flowed (the highest rate the api sustains within the
   * answers' own latency bound); every step's are in `steps`.
   */
  tallyDuring: AnswerStep['tally'] | null;
}

/**
 * Employees answering the form at increasing concurrency: each request is a real POST /a/<token>
 * for a distinct recipient (the full earthquake form), driven by autocannon over loopback from
 * this process, on the same machine as the api, PostgreSQL and Redis. Every recipient answers
 * once, split evenly over the steps; while each step runs, a dashboard (a process of its own)
 * reads the company tally and the deepest department's in turn, one every 50 ms. Lost answers: accepted (200) responses minus
 * answers stored.
 */
export async function answersScenario(
  api: Service,
  env: Record<string, string>,
  token: string,
  broadcastId: string,
  dashboard: DashboardClient,
): Promise<AnswersResult> {
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  try {
    const deep = (
      await db.query<{ department_id: string }>(
        `SELECT department_id FROM recipients WHERE broadcast_id = $1 ORDER BY cardinality(department_path) DESC, seq LIMIT 1`,
        [broadcastId],
      )
    ).rows[0]!.department_id;
    const links = await signedAnswerLinks(db, env, broadcastId);
    const perStep = Math.floor(links.length / STEPS.length);
    const steps: AnswerStep[] = [];
    let next = 0;
    for (const [index, connections] of STEPS.entries()) {
      // The last step takes what the others left.
      const amount = index === STEPS.length - 1 ? links.length - next : perStep;
      const reading = dashboard.poll({ token, broadcastId }, deep);
      const load = await runStep(api.url, connections, amount, 'POST', (request) => ({
        ...request,
        path: links[next++]!,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `q.self=safe&q.family=all_safe&q.home=no_damage&q.work=yes&message=&k=${randomUUID()}`,
      }));
      const tally = await reading.stop();
      steps.push({
        connections,
        answers: load.ok,
        perSecond: load.perSecond,
        p50Ms: load.p50Ms,
        p99Ms: load.p99Ms,
        errors: load.errors,
        tally: {
          p50Ms: percentile(tally.company, 0.5),
          p95Ms: percentile(tally.company, 0.95),
          deepP50Ms: percentile(tally.deep, 0.5),
          deepP95Ms: percentile(tally.deep, 0.95),
        },
      });
    }
    const accepted = steps.reduce((a, s) => a + s.answers, 0);
    const stored = (
      await db.query<{ n: number }>('SELECT count(*)::int AS n FROM recipients WHERE broadcast_id = $1 AND answered_at IS NOT NULL', [broadcastId])
    ).rows[0]!.n;
    const fastest = (bound: number) => {
      const under = steps.filter((s) => s.p99Ms < bound && s.errors === 0);
      return under.length ? under.reduce((a, b) => (b.perSecond > a.perSecond ? b : a)) : null;
    };
    const best = fastest(100);
    return { steps, best, bestUnder200ms: fastest(200), accepted, stored, lost: accepted - stored, tallyDuring: best?.tally ?? null };
  } finally {
    await db.end();
  }
}
