import { Injectable, Logger } from '@nestjs/common';
import { ChannelSettingsService, EmailChannel, plainTextHtml } from '#anpi/channels';
import { AppConfig } from '#anpi/config';
import { TenantDb, type TenantId } from '#anpi/db';

/**
 * Tells a tenant's admins what automatic launch did: one email per launch, per suppressed
 * aftershock and per cancellation. Sent after the decision is committed; a failed email is logged
 * and does not undo or repeat the decision (the audit log and GET /v1/auto-launches hold it too).
 */
@Injectable()
export class AdminNotices {
  private readonly logger = new Logger(AdminNotices.name);

  constructor(
    private readonly db: TenantDb,
    private readonly settings: ChannelSettingsService,
    private readonly email: EmailChannel,
    private readonly config: AppConfig,
  ) {}

  async send(tenantId: TenantId, subject: string, lines: string[], broadcastId?: string | null): Promise<void> {
    try {
      const { admins, channels } = await this.db.run(tenantId, async (tx) => ({
        admins: await tx.user.findMany({ where: { tenantId, role: 'admin', disabledAt: null }, select: { email: true } }),
        channels: await this.settings.resolve(tx, tenantId),
      }));
      if (admins.length === 0) return;
      const text = [...lines, '', ...(broadcastId ? [`安否確認 / Broadcast: ${this.config.publicBaseUrl}/v1/broadcasts/${broadcastId}`] : [])].join('\n');
      await this.email.send({
        from: channels.email,
        to: admins.map((a) => a.email).join(', '),
        subject: `【anpi】${subject}`,
        text,
        html: plainTextHtml(text),
      });
    } catch (error) {
      this.logger.warn({ msg: 'auto-launch admin email failed', tenantId, broadcastId, err: (error as Error).message });
    }
  }
}
