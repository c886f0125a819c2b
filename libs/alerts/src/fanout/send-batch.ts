import { Injectable } from '@nestjs/common';
import { ChannelSettingsService, type ResolvedChannels } from '#anpi/channels';
import { TenantDb, asTenantId, fromJsonRow, type Broadcast, type Channel, type Recipient, type TenantId } from '#anpi/db';
import type { SendJobData } from './batches.js';
import { isCancellationNotice } from './rounds.js';
import { DeliveryRecorder } from './delivery-recorder.js';

/** What sending needs of a recipient: the addresses, and what the message and its link say. */
export type SendRecipient = Pick<Recipient, 'id' | 'name' | 'departmentName' | 'emails' | 'mobiles' | 'lineUserId' | 'lineworksId' | 'answeredAt'>;

export interface PendingDelivery {
  id: string;
  /** Which of the recipient's addresses (emails[i], mobiles[i]); 0 for LINE. */
  contactIndex: number;
  recipient: SendRecipient;
}

export interface SendBatch {
  tenantId: TenantId;
  broadcast: Broadcast;
  round: number;
  channels: ResolvedChannels;
  deliveries: PendingDelivery[];
}

interface PendingRow {
  id: string;
  contact_index: number;
  recipient_id: string;
  name: string;
  department_name: string | null;
  emails: string[];
  mobiles: string[];
  line_user_id: string | null;
  lineworks_id: string | null;
  answered_at: Date | null;
}

/**
 * What one send job works on: its broadcast, the channel credentials, and the deliveries of its
 * batch still pending. A cancelled broadcast's batch is marked cancelled and comes back empty.
 * Plain SQL on the pool: a send job runs for every 50 (LINE WORKS), 100 (SMS), 500 (LINE) or 1,000 (email) recipients, and
 * Prisma's relation loading cost more worker CPU than the sending itself.
 */
@Injectable()
export class SendBatchLoader {
  constructor(
    private readonly db: TenantDb,
    private readonly settings: ChannelSettingsService,
    private readonly recorder: DeliveryRecorder,
  ) {}

  async load(data: SendJobData, channel: Channel): Promise<SendBatch | null> {
    const tenantId = asTenantId(data.tenantId);
    const round = data.round ?? 0;
    const loaded = await this.db.sql(tenantId, async (sql) => {
      const [found] = await sql<{ b: Record<string, unknown> }>('SELECT to_jsonb(b) AS b FROM broadcasts b WHERE id = $1::uuid', [data.broadcastId]);
      if (!found) return null;
      const rows = await sql<PendingRow>(
        `SELECT d.id, d.contact_index, r.id AS recipient_id, r.name, r.department_name, r.emails, r.mobiles, r.line_user_id, r.lineworks_id, r.answered_at
         FROM deliveries d JOIN recipients r ON r.id = d.recipient_id
         WHERE d.broadcast_id = $1::uuid AND d.round = $2::int AND d.channel = $3::"Channel" AND d.batch = $4::int AND d.state = 'pending'
         ORDER BY r.seq, d.contact_index`,
        [data.broadcastId, round, channel, data.batch],
      );
      return { broadcast: fromJsonRow<Broadcast>(found.b), deliveries: rows.map(toPending), channels: await this.settings.resolveWith(sql) };
    });
    if (!loaded) return null;
    const { broadcast, deliveries, channels } = loaded;
    if (broadcast.status === 'cancelled' || (round > 0 && !isCancellationNotice(round) && broadcast.closedAt)) {
      await this.db.run(tenantId, (tx) =>
        this.recorder.cancelled(
          tx,
          tenantId,
          deliveries.map((d) => d.id),
        ),
      );
      await this.recorder.completeIfDone(tenantId, broadcast.id);
      return null;
    }
    // A follow-up is for those who have not answered: someone who answered since it was planned
    // gets nothing more.
    const answered = round > 0 && !isCancellationNotice(round) ? deliveries.filter((d) => d.recipient.answeredAt) : [];
    if (answered.length)
      await this.db.run(tenantId, (tx) =>
        this.recorder.cancelled(
          tx,
          tenantId,
          answered.map((d) => d.id),
          'answered before the reminder',
        ),
      );
    const pending = answered.length ? deliveries.filter((d) => !answered.includes(d)) : deliveries;
    if (pending.length === 0) {
      // Nothing left to send: a reminder everyone in this batch answered before it went, or a job
      // run again after a crash that came between recording its sends and checking completion.
      // Either may have settled the broadcast's last deliveries.
      await this.recorder.completeIfDone(tenantId, broadcast.id);
      return null;
    }
    return { tenantId, broadcast, round, channels, deliveries: pending };
  }
}

function toPending(row: PendingRow): PendingDelivery {
  return {
    id: row.id,
    contactIndex: row.contact_index,
    recipient: {
      id: row.recipient_id,
      name: row.name,
      departmentName: row.department_name,
      emails: row.emails,
      mobiles: row.mobiles,
      lineUserId: row.line_user_id,
      lineworksId: row.lineworks_id,
      answeredAt: row.answered_at,
    },
  };
}

/**
 * Those of `items` (deliveries, by id) still pending: read before each group of a batch after its
 * first, so that an alert cancelled while a job works through its batch (SMS, SMTP email and LINE
 * WORKS go a group at a time) stops at the next group instead of at the batch's end.
 */
export async function stillPending<T extends { id: string }>(db: TenantDb, tenantId: TenantId, items: T[]): Promise<T[]> {
  const rows = await db.sql(tenantId, (sql) =>
    sql<{ id: string }>(`SELECT id FROM deliveries WHERE tenant_id = $1::uuid AND id = ANY($2::uuid[]) AND state = 'pending'`, [
      tenantId,
      items.map((item) => item.id),
    ]),
  );
  const pending = new Set(rows.map((r) => r.id));
  return items.filter((item) => pending.has(item.id));
}
