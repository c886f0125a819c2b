import type { TestApi } from './test-api.js';

export interface MeteredSends {
  /** The instant the sends happened (ISO 8601 with its offset). */
  at: string;
  count?: number;
  channel?: 'line' | 'email' | 'sms';
  /** Units per send (SMS segments; 1 for LINE and email). */
  units?: number;
  drill?: boolean;
}

/**
 * Sent deliveries with their ledger rows, written as the delivery recorder writes them but at a
 * chosen instant, so month boundaries and pack sizes can be tested without sending thousands of
 * messages. They hang off a real recipient of a real broadcast (as extra rounds).
 */
export async function meterSends(api: TestApi, tenantId: string, sends: MeteredSends): Promise<void> {
  const { rows } = await api.owner(
    `SELECT r.id AS recipient_id, r.broadcast_id, coalesce((SELECT max(round) FROM deliveries d WHERE d.recipient_id = r.id), 0) AS round
     FROM recipients r WHERE r.tenant_id = $1 ORDER BY r.seq LIMIT 1`,
    [tenantId],
  );
  const anchor = rows[0];
  if (!anchor) throw new Error('meterSends needs one launched broadcast in the tenant');
  await api.owner(
    `WITH sent AS (
       INSERT INTO deliveries (id, tenant_id, broadcast_id, recipient_id, channel, contact_index, round, batch, state, units, sent_at, updated_at)
       SELECT gen_random_uuid(), $1, $2, $3, $4::"Channel", 0, $5 + g, 0, 'sent', $6, $7, now() FROM generate_series(1, $8::int) g
       RETURNING id
     )
     INSERT INTO usage_ledger (id, tenant_id, delivery_id, broadcast_id, channel, units, drill, occurred_at)
     SELECT gen_random_uuid(), $1, sent.id, $2, $4::"Channel", $6, $9, $7 FROM sent`,
    [
      tenantId,
      anchor.broadcast_id,
      anchor.recipient_id,
      sends.channel ?? 'line',
      anchor.round,
      sends.units ?? 1,
      sends.at,
      sends.count ?? 1,
      sends.drill ?? false,
    ],
  );
}
