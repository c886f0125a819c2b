import { Injectable, Logger } from '@nestjs/common';
import { TenantDb, type TenantId } from '#anpi/db';
import { TallyNotifier } from '#anpi/tallies';
import { content } from '../broadcast-content.js';
import { createDeliveries } from './deliveries.js';
import { BOUNCE_ESCALATION_ROUND } from './rounds.js';
import { SendQueue } from './send-queue.js';

/**
 * An email that bounced or was dropped reached nobody: the recipient gets the escalation order's
 * next channel after email now, not after the escalation delay. Only those who have not answered,
 * not on a channel already reaching them, one send job per recipient (so a second bounce never
 * shares a job with the first).
 */
@Injectable()
export class BounceEscalation {
  private readonly logger = new Logger(BounceEscalation.name);

  constructor(
    private readonly db: TenantDb,
    private readonly sends: SendQueue,
    private readonly tallies: TallyNotifier,
  ) {}

  async escalate(tenantId: TenantId, broadcastId: string, recipientIds: string[]): Promise<number> {
    const planned = await this.db.run(tenantId, async (tx) => {
      const broadcast = await tx.broadcast.findFirst({ where: { id: broadcastId, tenantId } });
      if (!broadcast || broadcast.status === 'cancelled' || broadcast.closedAt) return null;
      const order = content.escalation(broadcast.escalation)?.order ?? [];
      const step = order.indexOf('email') + 1;
      const next = step > 0 ? order[step] : undefined;
      if (!next) return null;
      const round = BOUNCE_ESCALATION_ROUND + step;
      const created = await createDeliveries(tx, {
        broadcastId,
        round,
        channel: next,
        unansweredOnly: true,
        notAlreadyOn: true,
        recipientIds,
        batchPerRecipient: true,
      });
      if (created > 0) await tx.broadcast.updateMany({ where: { id: broadcastId, tenantId }, data: { status: 'sending', completedAt: null } });
      return { round, channel: next, created };
    });
    if (!planned || planned.created === 0) return 0;
    await this.sends.enqueueRound(tenantId, broadcastId, planned.round, [planned.channel]);
    await this.tallies.changed(tenantId, broadcastId);
    this.logger.log({ msg: 'escalated after a bounce', tenantId, broadcastId, channel: planned.channel, deliveries: planned.created });
    return planned.created;
  }
}
