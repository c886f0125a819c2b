import pg from 'pg';
import { derive, sample, type JmaFeedStandIn, type LineStandIn } from '#anpi/stand-ins';
import { json, type Service } from './support.js';

export interface TelegramResult {
  /** The workers' JMA_POLL_SECONDS. */
  pollSeconds: number;
  /** From the telegram appearing in the feed to the broadcast existing (poll wait, fetch, parse, decision). */
  secondsToBroadcast: number;
  /** From the telegram appearing in the feed to the alert's last LINE multicast accepted by the stand-in. */
  secondsToLine: number;
  lineDeliveries: number;
}

/**
 * 「Telegram to LINE」: the tenant gets a rule (earthquake, 震度4 or more anywhere, everyone, no
 * hold); JMA's 震度速報 sample, dated now, appears in the feed stand-in the production workers poll;
 * the clock runs until the automatic alert's last LINE multicast is accepted. The alert is then
 * cancelled (its email and SMS are the fan-out scenario's business, not this one's).
 */
export async function telegramScenario(
  api: Service,
  env: Record<string, string>,
  token: string,
  feed: JmaFeedStandIn,
  pollSeconds: number,
  line: LineStandIn,
): Promise<TelegramResult> {
  const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  await json(
    await fetch(`${api.url}/v1/auto-launch-rules`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: '全国 震度4以上', kind: 'earthquake', minLevel: '4', target: 'everyone', templateId: 'preset:earthquake' }),
    }),
  );
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  try {
    const eventId = `BENCH${Date.now()}`;
    const multicastsBefore = line.multicasts.length;
    const startedAt = Date.now();
    const started = performance.now();
    feed.publish('eqvol', 'VXSE51', derive(sample('vxse51'), { eventId }));
    const deadline = Date.now() + 10 * 60_000;
    let broadcastId: string | null = null;
    let secondsToBroadcast = 0;
    for (;;) {
      if (!broadcastId) {
        const { rows } = await db.query<{ id: string }>(`SELECT id FROM broadcasts WHERE source->>'eventId' = $1`, [eventId]);
        if (rows[0]) {
          broadcastId = rows[0].id;
          secondsToBroadcast = round((performance.now() - started) / 1000);
        }
      } else {
        // LINE's deliveries are created a part at a time while the first are sent: done once they all
        // exist (the broadcast says so) and none is pending.
        const { rows } = await db.query<{ created: boolean; pending: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM broadcasts WHERE id = $1 AND deliveries_ready_at IS NOT NULL) AS created,
                  EXISTS (SELECT 1 FROM deliveries WHERE broadcast_id = $1 AND round = 0 AND channel = 'line' AND state = 'pending') AS pending`,
          [broadcastId],
        );
        if (rows[0]!.created && !rows[0]!.pending) break;
      }
      if (Date.now() > deadline) throw new Error(`telegram to LINE not done in 10 minutes (broadcast ${broadcastId ?? 'not created'})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const lastMulticast = Math.max(...line.multicasts.slice(multicastsBefore).map((m) => m.at.getTime()));
    const secondsToLine = round((lastMulticast - startedAt) / 1000);
    // Cancelled while its email and SMS are still going out: the cancel must answer, whatever the send jobs are doing.
    await json(await fetch(`${api.url}/v1/broadcasts/${broadcastId}/cancel`, { method: 'POST', headers: auth }));
    const sent = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM deliveries WHERE broadcast_id = $1 AND channel = 'line' AND state = 'sent'`, [
      broadcastId,
    ]);
    return { pollSeconds, secondsToBroadcast, secondsToLine, lineDeliveries: sent.rows[0]!.n };
  } finally {
    await db.end();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
