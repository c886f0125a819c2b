import { Injectable } from '@nestjs/common';
import { PlatformDb } from '#anpi/db';
import type { LineEvent } from './line-event.js';

/**
 * Which of a job's events are its own to handle. The webhook queues what LINE sends without
 * touching the database (LINE wants its 200 at once); the worker then records each event id under
 * the job's claim token. The first claim of an id wins: a redelivery, queued under another token,
 * finds it taken and is dropped, and a retry of the same job (same token) finds its own claims.
 */
@Injectable()
export class LineEventClaims {
  constructor(private readonly platform: PlatformDb) {}

  async claim(channelKey: string, events: LineEvent[], claim: string | undefined): Promise<LineEvent[]> {
    // Queued by an intake that recorded the ids itself.
    if (!claim || events.length === 0) return events;
    const ids = events.map((e) => e.webhookEventId);
    const rows = await this.platform.sql((sql) =>
      sql<{ id: string }>(
        `WITH taken AS (
           INSERT INTO line_webhook_events (channel_key, webhook_event_id, type, claim)
           SELECT $1, e.id, e.type, $4::uuid FROM unnest($2::text[], $3::text[]) AS e(id, type)
           ON CONFLICT DO NOTHING
           RETURNING webhook_event_id AS id
         )
         SELECT id FROM taken
         UNION ALL
         SELECT webhook_event_id FROM line_webhook_events WHERE channel_key = $1 AND webhook_event_id = ANY($2::text[]) AND claim = $4::uuid`,
        [channelKey, ids, events.map((e) => e.type), claim],
      ),
    );
    const mine = new Set(rows.map((r) => r.id));
    return events.filter((e) => mine.has(e.webhookEventId));
  }
}
