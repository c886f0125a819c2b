import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, type TenantId } from '#anpi/db';
import { JobName, QueueName } from '#anpi/queue';
import type { ManualReminderView } from './dto/broadcast.dto.js';
import type { FollowUpJobData } from './fanout/follow-ups.js';
import { ConflictError, NotFoundError } from '#anpi/errors';

const ACTION = 'broadcast.remind';
/** Enough for a long night; each is a full round of messages to everyone still silent. */
const MAX_MANUAL_REMINDERS = 50;

/**
 * 「未回答者に再送」: an admin re-sends an alert now to everyone who has not answered, on the channels
 * used. The reminder is numbered and recorded in the audit log in one transaction (the broadcast
 * row locked), and an Idempotency-Key repeated finds that record instead of sending again. The
 * worker creates the round's deliveries (unanswered only, at the moment it runs) and sends them.
 */
@Injectable()
export class ManualReminders {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditLog,
    @InjectQueue(QueueName.Broadcasts) private readonly queue: Queue,
  ) {}

  async remind(tenantId: TenantId, actor: Actor, broadcastId: string, idempotencyKey?: string): Promise<ManualReminderView> {
    const view = await this.db.run(tenantId, async (tx) => {
      await tx.$queryRaw`SELECT id FROM broadcasts WHERE id = ${broadcastId}::uuid AND tenant_id = ${tenantId}::uuid FOR UPDATE`;
      const broadcast = await tx.broadcast.findFirst({ where: { id: broadcastId, tenantId } });
      if (!broadcast) throw new NotFoundError(`Broadcast ${broadcastId} not found`);
      if (idempotencyKey) {
        const earlier = await tx.auditEntry.findFirst({
          where: { tenantId, action: ACTION, resourceId: broadcastId, details: { path: ['idempotencyKey'], equals: idempotencyKey } },
        });
        if (earlier) return { ...(earlier.details as unknown as ManualReminderView), replayed: true };
      }
      if (broadcast.status === 'cancelled') throw new ConflictError('cancelled', 'This broadcast was cancelled; launch a new alert instead');
      if (broadcast.closedAt) throw new ConflictError('closed', 'This broadcast is closed and takes no more answers');
      if (broadcast.status === 'queued')
        throw new ConflictError('not_launched', 'This broadcast is still being sent for the first time; remind once it has gone out');
      const previous = await tx.auditEntry.count({ where: { tenantId, action: ACTION, resourceId: broadcastId } });
      if (previous >= MAX_MANUAL_REMINDERS) throw new ConflictError('too_many_reminders', `At most ${MAX_MANUAL_REMINDERS} reminders can be sent by hand`);
      const unanswered = await tx.recipient.count({ where: { tenantId, broadcastId, answeredAt: null } });
      const details: ManualReminderView = {
        broadcastId,
        reminder: previous + 1,
        unanswered,
        channels: broadcast.channels,
        idempotencyKey: idempotencyKey ?? null,
        replayed: false,
      };
      await this.audit.record(tx, tenantId, actor, { action: ACTION, resourceType: 'broadcast', resourceId: broadcastId, details: { ...details } });
      return details;
    });
    // Queued after the commit, and again on a replay (the same job id runs once; its round, if it
    // ran already, adds nothing), so a crash between the two loses no reminder.
    const data: FollowUpJobData = { tenantId, broadcastId, kind: 'manual', step: view.reminder };
    await this.queue.add(JobName.RemindBroadcast, data, {
      jobId: `manual.${broadcastId}.${view.reminder}`,
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
    });
    return view;
  }
}
