import pg from 'pg';
import { signedAnswerLinks, type Service } from './support.js';
import { runStep } from './load-steps.js';

/** Concurrency steps, lowest first (the same as the answers'). */
const STEPS = [10, 25, 50, 100, 200];

export interface PageViewStep {
  connections: number;
  views: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export interface PageViewsResult {
  steps: PageViewStep[];
  /** The fastest step whose p99 stayed under 100 ms (null if none did). */
  best: PageViewStep | null;
  /** Recipients whose first opening was recorded, of those who opened the page. */
  openedRecorded: number;
  views: number;
}

/**
 * Every recipient opens their answer page (GET /a/<token>, a distinct signed link each) at
 * increasing concurrency, as they do before answering: the page is rendered and the first opening
 * recorded (grouped, like answers). Driven by autocannon over loopback from this process.
 */
export async function pageViewsScenario(api: Service, env: Record<string, string>, broadcastId: string): Promise<PageViewsResult> {
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  try {
    const links = await signedAnswerLinks(db, env, broadcastId);
    const perStep = Math.floor(links.length / STEPS.length);
    const steps: PageViewStep[] = [];
    let next = 0;
    for (const [index, connections] of STEPS.entries()) {
      // The last step takes what the others left.
      const amount = index === STEPS.length - 1 ? links.length - next : perStep;
      const load = await runStep(api.url, connections, amount, 'GET', (request) => ({ ...request, path: links[next++]! }));
      steps.push({ connections, views: load.ok, perSecond: load.perSecond, p50Ms: load.p50Ms, p99Ms: load.p99Ms, errors: load.errors });
    }
    const openedRecorded = (
      await db.query<{ n: number }>('SELECT count(*)::int AS n FROM recipients WHERE broadcast_id = $1 AND opened_at IS NOT NULL', [broadcastId])
    ).rows[0]!.n;
    const under = steps.filter((s) => s.p99Ms < 100 && s.errors === 0);
    const best = under.length ? under.reduce((a, b) => (b.perSecond > a.perSecond ? b : a)) : null;
    return { steps, best, openedRecorded, views: steps.reduce((a, s) => a + s.views, 0) };
  } finally {
    await db.end();
  }
}
