import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { TenantDb } from '#anpi/db';
import { JobName, QueueName } from '#anpi/queue';
import type { LineLink } from '../line-link-directory.js';

export interface InboxNotifyJobData {
  tenantId: string;
  messageId: string;
}

/**
 * Stores what a linked employee wrote, once per tenant they are linked in (the event id makes a
 * retried job store nothing twice), and queues the on-duty email for each new message.
 */
@Injectable()
export class InboxRecorder {
  constructor(
    private readonly db: TenantDb,
    @InjectQueue(QueueName.Line) private readonly queue: Queue,
  ) {}

  async record(links: LineLink[], channelKey: string, lineUserId: string, webhookEventId: string, text: string): Promise<void> {
    for (const { tenantId, employeeId } of links) {
      const [row] = await this.db.run(
        tenantId,
        (tx) => tx.$queryRaw<{ id: string }[]>`
        INSERT INTO inbox_messages (id, tenant_id, employee_id, channel_key, line_user_id, webhook_event_id, text, received_at)
        VALUES (gen_random_uuid(), ${tenantId}::uuid, ${employeeId}::uuid, ${channelKey}, ${lineUserId}, ${webhookEventId}, ${text}, now())
        ON CONFLICT (tenant_id, webhook_event_id) DO UPDATE SET text = inbox_messages.text
        RETURNING id`,
      );
      const data: InboxNotifyJobData = { tenantId, messageId: row!.id };
      await this.queue.add(JobName.NotifyInbox, data, { jobId: `inbox.${row!.id}` });
    }
  }
}
