import { Injectable } from '@nestjs/common';
import { ChannelSettingsService, type ResolvedChannels } from '#anpi/channels';
import { TenantDb, asTenantId, type Broadcast, type Channel, type Delivery, type Recipient, type TenantId } from '#anpi/db';
import type { SendJobData } from './batches.js';
import { DeliveryRecorder } from './delivery-recorder.js';

export type PendingDelivery = Delivery & { recipient: Recipient };

export interface SendBatch {
  tenantId: TenantId;
  broadcast: Broadcast;
  round: number;
  channels: ResolvedChannels;
  deliveries: PendingDelivery[];
}

/**
 * What one send job works on: its broadcast, the channel credentials, and the deliveries of its
 * batch still pending. A cancelled broadcast's batch is marked cancelled and comes back empty.
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
    return this.db.run(tenantId, async (tx) => {
      const round = data.round ?? 0;
      const broadcast = await tx.broadcast.findFirst({ where: { id: data.broadcastId, tenantId } });
      if (!broadcast) return null;
      const deliveries = await tx.delivery.findMany({
        where: { tenantId, broadcastId: broadcast.id, channel, round, batch: data.batch, state: 'pending' },
        include: { recipient: true },
        orderBy: [{ recipient: { seq: 'asc' } }, { contactIndex: 'asc' }],
      });
      if (broadcast.status === 'cancelled' || (round > 0 && broadcast.closedAt)) {
        await this.recorder.cancelled(tx, tenantId, deliveries.map((d) => d.id));
        return null;
      }
      // A follow-up is for those who have not answered: someone who answered since it was
      // planned gets nothing more.
      const answered = round > 0 ? deliveries.filter((d) => d.recipient.answeredAt) : [];
      if (answered.length) await this.recorder.cancelled(tx, tenantId, answered.map((d) => d.id), 'answered before the reminder');
      const pending = deliveries.filter((d) => !answered.includes(d));
      if (pending.length === 0) return null;
      return { tenantId, broadcast, round, channels: await this.settings.resolve(tx, tenantId), deliveries: pending };
    });
  }
}
