import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '#anpi/config';
import { TenantDb, asTenantId, type Broadcast, type Channel, type TenantId } from '#anpi/db';
import { JobHandler, JobName, QueueName } from '#anpi/queue';
import { TallyNotifier } from '#anpi/tallies';
import { createDeliveries } from './deliveries.js';
import { DeliveryRecorder } from './delivery-recorder.js';
import { ESCALATION_ROUND, MANUAL_REMINDER_ROUND } from './rounds.js';
import { SendQueue } from './send-queue.js';
import { content } from '../broadcast-content.js';

export interface FollowUpJobData {
  tenantId: string;
  broadcastId: string;
  kind: 'reminder' | 'escalation' | 'manual';
  /** Reminder number (1…maxReminders), escalation step (index in the channel order), or the number of a reminder sent by hand. */
  step: number;
}

/**
 * What happens after the first send: reminders to those who have not answered (every N minutes, at
 * most K times, on the channels the alert uses), and escalation to the next channel after M
 * minutes without an answer. Both stop for everyone once the broadcast is closed or cancelled,
 * and never reach someone who has answered. They are delivered and metered like the first send.
 */
@Injectable()
export class FollowUps {
  private readonly logger = new Logger(FollowUps.name);

  constructor(
    private readonly db: TenantDb,
    private readonly sends: SendQueue,
    private readonly recorder: DeliveryRecorder,
    private readonly tallies: TallyNotifier,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Broadcasts) private readonly queue: Queue,
  ) {}

  /** After the launch: the first reminder and the first escalation step. */
  async schedule(broadcast: Broadcast): Promise<void> {
    const reminder = content.reminder(broadcast.reminder);
    const escalation = content.escalation(broadcast.escalation);
    if (reminder) await this.later(broadcast, 'reminder', 1, reminder.intervalMinutes);
    if (escalation && escalation.order.length > 1) await this.later(broadcast, 'escalation', 1, escalation.afterMinutes);
  }

  @JobHandler(JobName.RemindBroadcast)
  async run(data: FollowUpJobData): Promise<{ sent: number; stopped?: string }> {
    const tenantId = asTenantId(data.tenantId);
    const broadcast = await this.db.run(tenantId, (tx) => tx.broadcast.findFirst({ where: { id: data.broadcastId, tenantId } }));
    if (!broadcast) return { sent: 0, stopped: 'gone' };
    if (broadcast.status === 'cancelled' || broadcast.closedAt) return { sent: 0, stopped: broadcast.closedAt ? 'closed' : 'cancelled' };
    const created =
      data.kind === 'reminder'
        ? await this.remind(tenantId, broadcast, data.step)
        : data.kind === 'manual'
          ? await this.remindNow(tenantId, broadcast, data.step)
          : await this.escalate(tenantId, broadcast, data.step);
    // A step that found nobody left to reach sends nothing, so no send job will complete the broadcast.
    if (created === 0) await this.recorder.completeIfDone(tenantId, broadcast.id);
    this.logger.log({ msg: `broadcast ${data.kind}`, tenantId, broadcastId: broadcast.id, step: data.step, deliveries: created });
    await this.tallies.changed(tenantId, broadcast.id);
    return { sent: created };
  }

  private async remind(tenantId: TenantId, broadcast: Broadcast, step: number): Promise<number> {
    const reminder = content.reminder(broadcast.reminder)!;
    const channels = channelsReached(broadcast);
    const created = await this.db.run(tenantId, async (tx) => {
      let count = 0;
      for (const channel of channels) count += await createDeliveries(tx, { broadcastId: broadcast.id, round: step, channel, unansweredOnly: true });
      await tx.broadcast.updateMany({
        where: { id: broadcast.id, tenantId, remindersSent: { lt: step } },
        data: { remindersSent: step, status: 'sending', completedAt: null },
      });
      return count;
    });
    await this.sends.enqueueRound(tenantId, broadcast.id, step);
    if (step < reminder.maxReminders) await this.later(broadcast, 'reminder', step + 1, reminder.intervalMinutes);
    return created;
  }

  /** 「未回答者に再送」: an admin's reminder, now, on the channels reached so far. Its own round, so a retry adds nothing. */
  private async remindNow(tenantId: TenantId, broadcast: Broadcast, number: number): Promise<number> {
    const round = MANUAL_REMINDER_ROUND + number;
    const created = await this.db.run(tenantId, async (tx) => {
      let count = 0;
      for (const channel of channelsReached(broadcast))
        count += await createDeliveries(tx, { broadcastId: broadcast.id, round, channel, unansweredOnly: true });
      await tx.broadcast.updateMany({ where: { id: broadcast.id, tenantId }, data: { status: 'sending', completedAt: null } });
      return count;
    });
    await this.sends.enqueueRound(tenantId, broadcast.id, round);
    return created;
  }

  private async escalate(tenantId: TenantId, broadcast: Broadcast, step: number): Promise<number> {
    const escalation = content.escalation(broadcast.escalation)!;
    const channel = escalation.order[step];
    if (!channel) return 0;
    const round = ESCALATION_ROUND + step;
    const created = await this.db.run(tenantId, async (tx) => {
      const count = await createDeliveries(tx, { broadcastId: broadcast.id, round, channel, unansweredOnly: true, notAlreadyOn: true });
      await tx.broadcast.updateMany({
        where: { id: broadcast.id, tenantId, escalationStep: { lt: step } },
        data: { escalationStep: step, status: 'sending', completedAt: null },
      });
      return count;
    });
    await this.sends.enqueueRound(tenantId, broadcast.id, round);
    if (step + 1 < escalation.order.length) await this.later(broadcast, 'escalation', step + 1, escalation.afterMinutes);
    return created;
  }

  private async later(broadcast: Broadcast, kind: FollowUpJobData['kind'], step: number, minutes: number): Promise<void> {
    const data: FollowUpJobData = { tenantId: broadcast.tenantId, broadcastId: broadcast.id, kind, step };
    await this.queue.add(JobName.RemindBroadcast, data, {
      jobId: `${kind}.${broadcast.id}.${step}`,
      delay: minutes * this.config.reminderMinuteMs,
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
    });
  }
}

/** With escalation, reminders repeat the channels reached so far; otherwise all of the alert's. */
function channelsReached(broadcast: Broadcast): Channel[] {
  const escalation = content.escalation(broadcast.escalation);
  return escalation ? escalation.order.slice(0, broadcast.escalationStep + 1) : broadcast.channels;
}
