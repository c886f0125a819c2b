import { Injectable } from '@nestjs/common';
import { ChannelSettingsService, EmailChannel, plainTextHtml } from '#anpi/channels';
import { AppConfig } from '#anpi/config';
import { TenantDb, asTenantId } from '#anpi/db';
import { JobHandler, JobName } from '#anpi/queue';
import type { InboxNotifyJobData } from './inbox-recorder.js';
import { LINEWORKS_PREFIX } from './inbox-channel.js';

/** One email to the tenant's on-duty contacts for each message an employee writes on LINE or to the LINE WORKS bot. */
@Injectable()
export class InboxNotifier {
  constructor(
    private readonly db: TenantDb,
    private readonly settings: ChannelSettingsService,
    private readonly email: EmailChannel,
    private readonly config: AppConfig,
  ) {}

  @JobHandler(JobName.NotifyInbox)
  async notify(data: InboxNotifyJobData): Promise<{ sent: number }> {
    const tenantId = asTenantId(data.tenantId);
    const found = await this.db.run(tenantId, async (tx) => {
      const message = await tx.inboxMessage.findFirst({ where: { id: data.messageId, tenantId }, include: { employee: { include: { department: true } } } });
      const settings = await tx.channelSettings.findUnique({ where: { tenantId } });
      return message && settings?.onDutyEmails.length ? { message, to: settings.onDutyEmails, channels: await this.settings.resolve(tx, tenantId) } : null;
    });
    if (!found) return { sent: 0 };
    const { message, to, channels } = found;
    const who = `${message.employee.name} (${message.employee.code}${message.employee.department ? ` / ${message.employee.department.name}` : ''})`;
    const link = `${this.config.publicBaseUrl}/v1/inbox`;
    const via = message.channelKey.startsWith(LINEWORKS_PREFIX) ? 'LINE WORKS' : 'LINE';
    const text = [
      `${who} さんから${via}でメッセージが届きました。/ New ${via} message from ${who}:`,
      '',
      message.text,
      '',
      `受信 / Received: ${message.receivedAt.toISOString()}`,
      `返信 / Reply: POST ${link}/${message.id}/reply`,
    ].join('\n');
    await this.email.send({
      from: channels.email,
      to: to.join(', '),
      subject: `【anpi】${via}メッセージ: ${message.employee.name} / ${via} message`,
      text,
      html: plainTextHtml(text),
    });
    return { sent: to.length };
  }
}
