import { Injectable } from '@nestjs/common';
import { meterSentDeliveriesSql } from '#anpi/billing';
import { TenantDb, type Channel, type OutagePatience, type Sql, type TenantId, type Tx } from '#anpi/db';
import { Metrics } from '#anpi/metrics';

/** The provider a channel's messages go through, for the metrics (email names its own: sendgrid, smtp). */
const PROVIDER: Record<Channel, string> = { line: 'line', email: 'email', sms: 'twilio', lineworks: 'lineworks' };

/** A message its provider accepted, for one delivery. */
export interface AcceptedMessage {
  deliveryId: string;
  providerMessageId: string | null;
  /** Billable units: 1 per LINE message or email, the SMS's segments. */
  units: number;
  /** Email: the provider that took it (sendgrid, smtp). */
  emailProvider?: string;
}

/**
 * How long a send job keeps trying to record messages its provider already accepted while the
 * database is unreachable. Failing the job instead makes its retry send them again (email and SMS
 * have no idempotency key): a 10 s database restart cost a group of SMS twice before.
 */
export const SENT_RECORDING_PATIENCE: OutagePatience = { totalMs: 60_000 };

const METER_MARKED = meterSentDeliveriesSql('marked', { tenantId: '$1', broadcastId: '$5', channel: '$6', drill: '$7' });

/**
 * Delivery outcomes, each written with the units it bills. A delivery moves out of `pending` once;
 * the usage ledger row is unique per delivery, so a retried send never counts twice.
 */
@Injectable()
export class DeliveryRecorder {
  constructor(
    private readonly metrics: Metrics,
    private readonly db: TenantDb,
  ) {}

  /**
   * One statement for any number of accepted messages: mark their deliveries sent (each with its
   * provider id and units) and write their ledger rows (billing's statement, embedded). Takes plain SQL, so the send path can run
   * it straight on the pool (`TenantDb.sql`) and a Prisma transaction through `sqlOf(tx)`.
   * A delivery cancelled while its message was with the provider (see stopPendingDeliveries) is
   * recorded sent too: the message went out, and the provider bills it.
   */
  async sent(sql: Sql, tenantId: TenantId, broadcast: { id: string; drill: boolean }, channel: Channel, accepted: AcceptedMessage[]): Promise<number> {
    if (accepted.length === 0) return 0;
    const ids = accepted.map((a) => a.deliveryId);
    const providerIds = accepted.map((a) => a.providerMessageId);
    const units = accepted.map((a) => a.units);
    const providers = accepted.map((a) => a.emailProvider ?? null);
    const [row] = await sql<{ marked: number }>(
      `WITH accepted AS (
        SELECT * FROM unnest($2::uuid[], $3::text[], $4::int[], $8::text[]) AS a(id, provider_message_id, units, email_provider)
      ), marked AS (
        UPDATE deliveries d SET state = 'sent', provider_message_id = a.provider_message_id, units = a.units, email_provider = a.email_provider,
          sent_at = now(), attempts = d.attempts + 1, error = NULL, updated_at = now()
        FROM accepted a
        WHERE d.tenant_id = $1::uuid AND d.id = a.id AND d.state IN ('pending', 'cancelled')
        RETURNING d.id, d.recipient_id, d.units
      ), reached AS (
        UPDATE recipients SET delivered_at = now()
        WHERE tenant_id = $1::uuid AND delivered_at IS NULL
          AND id IN (SELECT recipient_id FROM marked)
      ), metered AS (
        ${METER_MARKED}
      )
      SELECT count(*)::int AS marked FROM marked`,
      [tenantId, ids, providerIds, units, broadcast.id, channel, broadcast.drill, providers],
    );
    const marked = row?.marked ?? 0;
    // Counted by provider as accepted (a retry that finds some already marked counts only what it marked).
    let left = marked;
    for (const [provider, n] of countBy(accepted.map((a) => a.emailProvider ?? PROVIDER[channel]))) {
      const counted = Math.min(n, left);
      left -= counted;
      if (counted) this.metrics.deliveries.inc({ channel, state: 'sent', provider }, counted);
    }
    return marked;
  }

  /** Failed for good. Once committed, the caller checks completion (completeIfDone): these may have been the last pending ones. */
  async failed(tx: Tx, tenantId: TenantId, deliveryIds: string[], reason: string): Promise<void> {
    const failed = await tx.$queryRaw<{ channel: Channel; n: number }[]>`
      WITH f AS (
        UPDATE deliveries SET state = 'failed', error = ${reason.slice(0, 500)}, attempts = attempts + 1, updated_at = now()
        WHERE tenant_id = ${tenantId}::uuid AND id = ANY(${deliveryIds}::uuid[]) AND state = 'pending'
        RETURNING channel
      )
      SELECT channel, count(*)::int AS n FROM f GROUP BY channel`;
    for (const { channel, n } of failed) this.metrics.deliveries.inc({ channel, state: 'failed', provider: PROVIDER[channel] }, n);
  }

  /** A failed attempt that will be retried: the deliveries stay pending, with the reason. */
  async attempted(tx: Tx, tenantId: TenantId, deliveryIds: string[], reason: string): Promise<void> {
    await tx.delivery.updateMany({
      where: { tenantId, id: { in: deliveryIds }, state: 'pending' },
      data: { error: reason.slice(0, 500), attempts: { increment: 1 } },
    });
  }

  async cancelled(tx: Tx, tenantId: TenantId, deliveryIds: string[], reason = 'broadcast cancelled'): Promise<void> {
    await tx.delivery.updateMany({ where: { tenantId, id: { in: deliveryIds }, state: 'pending' }, data: { state: 'cancelled', error: reason } });
  }

  /**
   * Marks the broadcast completed once all its deliveries exist and none is pending, in its own
   * transaction: call it after the changes it judges have committed, never inside theirs. Two jobs
   * each checking inside its own transaction (two send jobs, or the last send job and the launch
   * job marking the deliveries ready) each saw the other's change uncommitted, and neither completed
   * the broadcast; checked after each commit, the last to commit sees everything. Runs after every
   * send job: anpi_deliveries_pending probes an index of pending deliveries only (its migration says
   * why a plain NOT EXISTS read every delivery of the broadcast).
   */
  async completeIfDone(tenantId: TenantId, broadcastId: string): Promise<void> {
    await this.db.sql(tenantId, (sql) =>
      sql(
        `UPDATE broadcasts SET status = 'completed', completed_at = now()
         WHERE tenant_id = $1::uuid AND id = $2::uuid AND status = 'sending' AND deliveries_ready_at IS NOT NULL
           AND NOT anpi_deliveries_pending($2::uuid)`,
        [tenantId, broadcastId],
      ),
    );
  }
}

/**
 * Cancels a broadcast's deliveries still pending (a cancel, JMA's cancellation), and says how many.
 * Never waits for a send job recording its messages right now (SKIP LOCKED): those deliveries are
 * being marked sent, and taking the rest while a recording holds some of them, each waiting for the
 * other's rows, deadlocked (PostgreSQL then aborted the cancel or the recording). One whose recording
 * fails stays pending; its job's retry finds the broadcast cancelled and cancels it then.
 */
export function stopPendingDeliveries(
  tx: Tx,
  tenantId: TenantId,
  broadcastId: string,
  reason: string,
  options: { exceptRound?: number } = {},
): Promise<number> {
  return tx.$executeRaw`
    UPDATE deliveries SET state = 'cancelled', error = ${reason.slice(0, 500)}, updated_at = now()
    WHERE tenant_id = ${tenantId}::uuid AND id IN (
      SELECT id FROM deliveries
      WHERE tenant_id = ${tenantId}::uuid AND broadcast_id = ${broadcastId}::uuid AND state = 'pending'
        AND round IS DISTINCT FROM ${options.exceptRound ?? null}::int
      FOR UPDATE SKIP LOCKED
    )`;
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}
