import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import pg from 'pg';
import type { LineStandIn, LineStandInChannel, WebhookEvent } from '#anpi/stand-ins';
import { CpuAccounting, type CpuByRole } from './cpu-accounting.js';
import { json, signedAnswerLinks, type Service } from './support.js';

/** Seconds over which every LINE user taps, and the most events LINE puts in one webhook request. */
const SPREAD_SECONDS = 60;
const MAX_EVENTS_PER_REQUEST = 5;
/** How long after the last tap the replies are waited for. */
const DRAIN_SECONDS = 120;
/**
 * Answer pages opened meanwhile by those who tapped 回答する: one view per such tap, at the rate
 * they tap (the answer-page scenario measures the most the page can serve), over up to this many
 * connections.
 */
const PAGE_CONNECTIONS = 25;

export interface TapFloodResult {
  lineUsers: number;
  taps: { safe: number; answer: number };
  requests: number;
  /** Webhook requests: time from sending to anpi's response, and responses other than 200. */
  webhook: { p50Ms: number; p99Ms: number; maxMs: number; non200: number; redelivered: number };
  /** From each tap (its webhook sent) to its reply accepted by LINE; `missing`: neither reply nor push within DRAIN_SECONDS. */
  tapToReply: { p50Ms: number; p99Ms: number; maxMs: number; replies: number; missing: number };
  /** Messages that went as a paid push instead of a free reply. */
  pushFallbacks: number;
  /** Reply requests the LINE stand-in answered, by status (400: a used or expired token). */
  replyStatuses: Record<string, number>;
  /** 無事です taps recorded as answers (once each), and as the tally counts them. */
  safeRecorded: number;
  /** Distinct recipients among them (equal to safeRecorded when none was recorded twice). */
  safeRecipients: number;
  safeInTally: number;
  /** The answer-page load beside the flood. */
  pages: { connections: number; ratePerSecond: number; views: number; perSecond: number; p50Ms: number; p99Ms: number; errors: number };
  spreadSeconds: number;
  /** CPU by process from the first tap until every tap has its reply, and per tap (pages beside it included). */
  cpu: { ms: CpuByRole; msPerTap: CpuByRole } | null;
  /**
   * This process's own event-loop delay while the taps are sent (it signs and posts the webhooks,
   * runs the LINE stand-in that takes the replies, and the page load): a webhook's response time
   * includes the time its response waited here to be read.
   */
  loadGeneratorDelayMs: { p50: number; p99: number; max: number };
}

/**
 * 「The LINE tap flood」: a LINE-only alert to everyone, then every LINE user taps 無事です or
 * 回答する (half each, in random order) within SPREAD_SECONDS of it, as signed webhooks of 1 to
 * MAX_EVENTS_PER_REQUEST postback events each, the way LINE batches them; meanwhile those who tapped
 * 回答する open their answer pages. The clock of each tap runs until the LINE stand-in accepted its
 * reply; a reply that failed and went as a push is counted.
 */
export async function tapFloodScenario(
  api: Service,
  staffApi: Service,
  env: Record<string, string>,
  token: string,
  line: LineStandIn,
  channel: LineStandInChannel,
  cpu?: CpuAccounting,
): Promise<TapFloodResult> {
  const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  try {
    const { id: broadcastId } = await json<{ id: string }>(
      await fetch(`${api.url}/v1/broadcasts`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ templateId: 'preset:earthquake', channels: ['line'], targets: { all: true } }),
      }),
    );
    await waitFor(
      async () => (await db.query(`SELECT 1 FROM broadcasts WHERE id = $1 AND status = 'completed'`, [broadcastId])).rowCount === 1,
      'the LINE alert',
    );
    const { rows } = await db.query<{ user_id: string; seq: number }>(
      `SELECT line_user_id AS user_id, seq FROM recipients WHERE broadcast_id = $1 AND line_user_id IS NOT NULL ORDER BY seq`,
      [broadcastId],
    );
    const links = await signedAnswerLinks(db, env, broadcastId);
    const users = shuffle(rows.map((r) => ({ userId: r.user_id, link: links[r.seq]!, safe: false })));
    users.forEach((u, i) => (u.safe = i % 2 === 0));
    const answerLinks = users.filter((u) => !u.safe).map((u) => u.link);

    const repliesBefore = line.sent.length;
    const requestsBefore = line.requests.length;
    const tappedAt = new Map<string, number>();
    const latencies: number[] = [];
    let non200 = 0;
    let redelivered = 0;
    const cpuBefore = cpu?.snapshot();
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const started = Date.now();
    // Pages opened beside the flood, for as long as it lasts.
    let nextPage = 0;
    const pageLoad = new Promise<autocannon.Result>((resolve, reject) =>
      autocannon(
        {
          url: api.url,
          connections: PAGE_CONNECTIONS,
          overallRate: Math.ceil(answerLinks.length / SPREAD_SECONDS),
          duration: SPREAD_SECONDS,
          timeout: 30,
          requests: [{ method: 'GET', setupRequest: (request: autocannon.Request) => ({ ...request, path: answerLinks[nextPage++ % answerLinks.length]! }) }],
        },
        (error, done) => (error ? reject(error) : resolve(done)),
      ),
    );
    const sends: Promise<void>[] = [];
    let requests = 0;
    for (let i = 0; i < users.length;) {
      const size = 1 + Math.floor(Math.random() * MAX_EVENTS_PER_REQUEST);
      const group = users.slice(i, i + size);
      i += group.length;
      // Taps spread evenly over the window: this request leaves when its first tap is due.
      const due = started + ((i - group.length) / users.length) * SPREAD_SECONDS * 1000;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const events: WebhookEvent[] = group.map((u) => line.webhooks.postback(u.userId, `${u.safe ? 'safe' : 'answer'}:${broadcastId}`));
      const sentAt = Date.now();
      for (const u of group) tappedAt.set(u.userId, sentAt);
      requests++;
      sends.push(
        deliver(line, channel, events).then(({ status, resent }) => {
          latencies.push(Date.now() - sentAt);
          if (status !== 200) non200++;
          redelivered += resent;
        }),
      );
    }
    await Promise.all(sends);
    loopDelay.disable();
    const pages = await pageLoad;
    // Every tap answered by a reply (or a push): the workers may still be working through them.
    // (until every tap has one, or for at most DRAIN_SECONDS: a tap unanswered by then is counted
    // as without a reply, and the run does not wait for a backlog to clear).
    const drained = Date.now() + DRAIN_SECONDS * 1000;
    await waitFor(async () => line.sent.length - repliesBefore >= users.length || Date.now() > drained, 'the replies');
    const cpuMs = cpu && cpuBefore ? CpuAccounting.between(cpuBefore, cpu.snapshot()) : null;
    const answered = line.sent.slice(repliesBefore).filter((m) => tappedAt.has(m.to));
    const replyDelays = answered.filter((m) => m.kind === 'reply').map((m) => m.at.getTime() - tappedAt.get(m.to)!);
    const recorded = (
      await db.query<{ n: number; d: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT recipient_id)::int AS d FROM answers WHERE broadcast_id = $1 AND source = 'line'`,
        [broadcastId],
      )
    ).rows[0]!;
    const safeRecorded = recorded.n;
    // The tally is refreshed a moment after answers arrive: read until it has them all (or 30 s).
    let safeInTally = 0;
    await waitFor(
      async () => {
        const tally = await json<{ total: { answered: number } }>(await fetch(`${staffApi.url}/v1/broadcasts/${broadcastId}/tally`, { headers: auth }));
        safeInTally = tally.total.answered;
        return safeInTally >= safeRecorded;
      },
      'the tally',
      30_000,
    ).catch(() => undefined);
    await fetch(`${api.url}/v1/broadcasts/${broadcastId}/close`, { method: 'POST', headers: auth });
    return {
      lineUsers: users.length,
      taps: { safe: users.length - answerLinks.length, answer: answerLinks.length },
      requests,
      webhook: { p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), maxMs: Math.max(...latencies), non200, redelivered },
      tapToReply: {
        p50Ms: percentile(replyDelays, 0.5),
        p99Ms: percentile(replyDelays, 0.99),
        maxMs: Math.max(0, ...replyDelays),
        replies: replyDelays.length,
        missing: users.length - new Set(answered.map((m) => m.to)).size,
      },
      pushFallbacks: answered.filter((m) => m.kind === 'push').length,
      replyStatuses: countReplyStatuses(line.requests.slice(requestsBefore)),
      safeRecorded,
      safeRecipients: recorded.d,
      safeInTally,
      pages: {
        connections: PAGE_CONNECTIONS,
        ratePerSecond: Math.ceil(answerLinks.length / SPREAD_SECONDS),
        views: pages['2xx'],
        perSecond: Math.round(pages['2xx'] / pages.duration),
        p50Ms: pages.latency.p50,
        p99Ms: pages.latency.p99,
        errors: pages.non2xx + pages.errors + pages.timeouts,
      },
      spreadSeconds: SPREAD_SECONDS,
      loadGeneratorDelayMs: {
        p50: Math.round(loopDelay.percentile(50) / 1e6),
        p99: Math.round(loopDelay.percentile(99) / 1e6),
        max: Math.round(loopDelay.max / 1e6),
      },
      cpu: cpuMs ? { ms: cpuMs, msPerTap: CpuAccounting.perUnit(cpuMs, users.length) } : null,
    };
  } finally {
    await db.end();
  }
}

/**
 * Posts one webhook; a connection reset (the server closing an idle keep-alive socket as it was
 * reused) is redelivered, as LINE redelivers a webhook that got no response, marked as such.
 */
async function deliver(line: LineStandIn, channel: LineStandInChannel, events: WebhookEvent[]): Promise<{ status: number; resent: number }> {
  for (let attempt = 0; ; attempt++) {
    try {
      const body = attempt === 0 ? events : events.map((e) => line.webhooks.redelivery(e));
      return { status: (await line.webhooks.send(channel, body)).status, resent: attempt };
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

function countReplyStatuses(requests: LineStandIn['requests']): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) if (r.path === '/v2/bot/message/reply') counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

async function waitFor(done: () => Promise<boolean>, what: string, ms = 10 * 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not done in ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
