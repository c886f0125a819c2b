import type { Channel, Tx } from '#anpi/db';
import { BATCH_SIZE } from './batches.js';

export interface DeliveryRound {
  broadcastId: string;
  round: number;
  channel: Channel;
  /** Reminders and escalation steps go only to those who have not answered. */
  unansweredOnly: boolean;
  /** Escalation at launch: only recipients the previous channel cannot reach (skipped there). */
  unreachableOn?: Channel;
  /** Escalation steps: not to those this channel already reached or is reaching. */
  notAlreadyOn?: boolean;
  /**
   * LINE only: just those it cannot reach (skipped): at launch, the ones it can reach are created
   * a part at a time first (createLinePart). Both by default.
   */
  lineUnreachableOnly?: boolean;
  /** Recipients added to a sent alert: only those without any delivery yet. */
  newRecipientsOnly?: boolean;
  /** The cancellation notice: only those a delivery of this channel reached. */
  reachedOnly?: boolean;
  /** Only these recipients (an escalation for one whose email bounced). */
  recipientIds?: string[];
  /** A send job per recipient (batch = seq): one recipient's job never shares a batch with another's. */
  batchPerRecipient?: boolean;
  /** Only recipients with from <= seq < to (a part of a launch's email, see EMAIL_PART_SIZE). */
  seqRange?: { from: number; to: number };
}

/** Recipients per part of a launch's email deliveries: ten SendGrid requests' worth. */
export const EMAIL_PART_SIZE = 10 * BATCH_SIZE.email;

/**
 * One delivery per recipient and contact of a channel (pending, or skipped with the reason), for
 * one round. A single statement whatever the size; running it again adds nothing.
 */
export async function createDeliveries(tx: Tx, r: DeliveryRound): Promise<number> {
  // One recipient per batch, where asked: the batch is then the recipient's seq.
  const size = r.batchPerRecipient ? 1 : BATCH_SIZE[r.channel];
  const only = r.recipientIds ? `AND r.id IN (${r.recipientIds.map((id) => `'${uuidLiteral(id)}'::uuid`).join(',') || 'NULL'})` : '';
  const range = r.seqRange ? `AND r.seq >= ${Math.trunc(r.seqRange.from)} AND r.seq < ${Math.trunc(r.seqRange.to)}` : '';
  const filter = `r.broadcast_id = $1::uuid ${only} ${range}
      ${r.unansweredOnly ? 'AND r.answered_at IS NULL' : ''}
      ${r.newRecipientsOnly ? 'AND NOT EXISTS (SELECT 1 FROM deliveries p WHERE p.recipient_id = r.id AND p.round <> $3::int)' : ''}
      ${r.reachedOnly ? `AND EXISTS (SELECT 1 FROM deliveries p WHERE p.recipient_id = r.id AND p.channel = '${r.channel}' AND p.state = 'sent')` : ''}
      ${
        r.unreachableOn
          ? `AND EXISTS (SELECT 1 FROM deliveries p WHERE p.recipient_id = r.id AND p.round = $3::int
        AND p.channel = '${r.unreachableOn}' AND p.state = 'skipped')`
          : ''
      }
      ${
        r.notAlreadyOn
          ? `AND NOT EXISTS (SELECT 1 FROM deliveries p WHERE p.recipient_id = r.id
        AND p.channel = '${r.channel}' AND p.state IN ('pending', 'sent'))`
          : ''
      }`;
  if (r.channel === 'line') {
    // Multicasts full (500 users each) rather than one per 500 recipients of whom a third are not
    // on LINE: batches numbered among the reachable ones. Only where the set cannot change between
    // a run and its re-run after a crash (an unanswered-only round can: numbered by seq there).
    const batch =
      r.unansweredOnly || r.batchPerRecipient
        ? 'r.seq / $2::int'
        : '((row_number() OVER (PARTITION BY r.line_user_id IS NOT NULL ORDER BY r.seq) - 1) / $2)::int';
    return tx.$executeRawUnsafe(
      `INSERT INTO deliveries (id, tenant_id, broadcast_id, recipient_id, channel, contact_index, round, batch, state, error, updated_at)
       SELECT anpi_uuid7(), r.tenant_id, r.broadcast_id, r.id, 'line', 0, $3::int, ${batch},
              CASE WHEN r.line_user_id IS NOT NULL THEN 'pending' ELSE 'skipped' END::"DeliveryState",
              CASE WHEN r.line_user_id IS NOT NULL THEN NULL
                   WHEN r.line_status = 'unreachable' THEN 'LINE unreachable: the employee blocked or unfollowed the account'
                   ELSE 'LINE not linked' END,
              now()
       FROM recipients r WHERE ${filter}
         ${r.lineUnreachableOnly ? 'AND r.line_user_id IS NULL' : ''}
       ON CONFLICT (recipient_id, channel, contact_index, round) DO NOTHING`,
      r.broadcastId,
      size,
      r.round,
    );
  }
  if (r.channel === 'lineworks') {
    // One message per recipient, to the id frozen at launch (none: LINE WORKS not set up, or no id nor email).
    return tx.$executeRawUnsafe(
      `INSERT INTO deliveries (id, tenant_id, broadcast_id, recipient_id, channel, contact_index, round, batch, state, error, updated_at)
       SELECT anpi_uuid7(), r.tenant_id, r.broadcast_id, r.id, 'lineworks', 0, $3::int, r.seq / $2::int,
              CASE WHEN r.lineworks_id IS NOT NULL THEN 'pending' ELSE 'skipped' END::"DeliveryState",
              CASE WHEN r.lineworks_id IS NULL THEN 'no LINE WORKS id (nor an email to use as one), or LINE WORKS is not set up' END,
              now()
       FROM recipients r WHERE ${filter}
       ON CONFLICT (recipient_id, channel, contact_index, round) DO NOTHING`,
      r.broadcastId,
      size,
      r.round,
    );
  }
  const column = r.channel === 'email' ? 'emails' : 'mobiles';
  const none = r.channel === 'email' ? 'no email address registered' : 'no mobile number registered';
  // An address the provider reported as bouncing for good is skipped, with the reason, until an
  // admin fixes or clears it in the directory.
  const bounced =
    r.channel === 'email'
      ? {
          state: `CASE WHEN b.address IS NULL THEN 'pending' ELSE 'skipped' END::"DeliveryState"`,
          error: `CASE WHEN b.address IS NULL THEN NULL ELSE 'address bounced earlier (' || b.reason || '); fix or clear it in the directory' END`,
          join: 'LEFT JOIN email_bounces b ON b.tenant_id = r.tenant_id AND b.employee_id = r.employee_id AND b.address = lower(c.address)',
        }
      : { state: `'pending'::"DeliveryState"`, error: 'NULL', join: '' };
  return tx.$executeRawUnsafe(
    `INSERT INTO deliveries (id, tenant_id, broadcast_id, recipient_id, channel, contact_index, round, batch, state, error, updated_at)
     SELECT anpi_uuid7(), r.tenant_id, r.broadcast_id, r.id, $4::"Channel", c.i - 1, $3::int, r.seq / $2::int, ${bounced.state}, ${bounced.error}, now()
     FROM recipients r CROSS JOIN LATERAL unnest(r.${column}) WITH ORDINALITY AS c(address, i)
     ${bounced.join}
     WHERE ${filter}
     UNION ALL
     SELECT anpi_uuid7(), r.tenant_id, r.broadcast_id, r.id, $4::"Channel", 0, $3::int, r.seq / $2::int, 'skipped'::"DeliveryState", $5, now()
     FROM recipients r WHERE ${filter} AND cardinality(r.${column}) = 0
     ON CONFLICT (recipient_id, channel, contact_index, round) DO NOTHING`,
    r.broadcastId,
    size,
    r.round,
    r.channel,
    none,
  );
}

/** Recipients LINE can reach per part of the launch's LINE deliveries (a multiple of the multicast size). */
export const LINE_PART_SIZE = 5_000;

/**
 * Where each part of a launch's LINE deliveries starts: the seq of every LINE_PART_SIZE-th
 * recipient LINE can reach. One read, so the parts, and the batches numbered within them, are the
 * same on every run of the launch.
 */
export async function lineParts(tx: Tx, broadcastId: string, size = LINE_PART_SIZE): Promise<LineParts> {
  const rows = await tx.$queryRawUnsafe<{ seq: number; reachable: number }[]>(
    `SELECT seq, reachable FROM (
       SELECT seq, row_number() OVER (ORDER BY seq) AS n, (count(*) OVER ())::int AS reachable
       FROM recipients WHERE broadcast_id = $1::uuid AND line_user_id IS NOT NULL) x
     WHERE (n - 1) % $2::int = 0 ORDER BY seq`,
    broadcastId,
    size,
  );
  return { starts: rows.map((r) => r.seq), reachable: rows[0]?.reachable ?? 0, size };
}

export interface LineParts {
  /** The seq each part starts at. */
  starts: number[];
  /** Recipients LINE can reach, in all. */
  reachable: number;
  /** Recipients per part (LINE_PART_SIZE; a multiple of the multicast size). */
  size: number;
}

/**
 * Part `index` of the launch's LINE deliveries (those LINE can reach, pending): recipients from
 * `parts[index]` up to the next part's start, in multicasts numbered after the earlier parts'.
 * Running it again adds nothing.
 */
export function createLinePart(tx: Tx, broadcastId: string, parts: LineParts, index: number): Promise<number> {
  const size = BATCH_SIZE.line;
  return tx.$executeRawUnsafe(
    `INSERT INTO deliveries (id, tenant_id, broadcast_id, recipient_id, channel, contact_index, round, batch, state, updated_at)
     SELECT anpi_uuid7(), r.tenant_id, r.broadcast_id, r.id, 'line', 0, 0, (($3::int + row_number() OVER (ORDER BY r.seq) - 1) / $2::int)::int,
            'pending', now()
     FROM recipients r
     WHERE r.broadcast_id = $1::uuid AND r.line_user_id IS NOT NULL AND r.seq >= $4::int AND ($5::int IS NULL OR r.seq < $5::int)
     ON CONFLICT (recipient_id, channel, contact_index, round) DO NOTHING`,
    broadcastId,
    size,
    index * parts.size,
    parts.starts[index]!,
    parts.starts[index + 1] ?? null,
  );
}

/** The multicast batches of part `index` (see createLinePart). */
export function linePartBatches(parts: LineParts, index: number): number[] {
  const first = (index * parts.size) / BATCH_SIZE.line;
  const end = Math.ceil(Math.min(parts.reachable, (index + 1) * parts.size) / BATCH_SIZE.line);
  return Array.from({ length: end - first }, (_, i) => first + i);
}

/** A recipient id written into the statement: checked to be a UUID first. */
function uuidLiteral(id: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new TypeError('recipient id must be a UUID');
  return id;
}
