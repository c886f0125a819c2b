import { Injectable } from '@nestjs/common';
import { ChannelSettingsService, EmailChannel, PLATFORM_CHANNEL_KEY, SmsChannel, type OutgoingEmail, type ResolvedChannels } from '#anpi/channels';
import { AppConfig } from '#anpi/config';
import { TenantDb, type Employee, type TenantId } from '#anpi/db';

export interface EmployeeContact {
  employee: Employee;
  channels: ResolvedChannels;
  /** The basic id of the LINE account this tenant's employees link to, if known. */
  basicId: string | null;
}

/**
 * Sends a linking email or SMS to an employee's registered contacts (the first email, else the
 * first mobile): invitations and one-time codes go nowhere else.
 */
@Injectable()
export class ContactSender {
  constructor(
    private readonly db: TenantDb,
    private readonly settings: ChannelSettingsService,
    private readonly email: EmailChannel,
    private readonly sms: SmsChannel,
    private readonly config: AppConfig,
  ) {}

  async load(tenantId: TenantId, employeeId: string): Promise<EmployeeContact | null> {
    return this.db.run(tenantId, async (tx) => {
      const employee = await tx.employee.findFirst({ where: { id: employeeId, tenantId, active: true, erasedAt: null } });
      if (!employee) return null;
      const channels = await this.settings.resolve(tx, tenantId);
      const own = await tx.channelSettings.findUnique({ where: { tenantId }, select: { lineBasicId: true } });
      const basicId = channels.line?.channelKey === PLATFORM_CHANNEL_KEY ? (this.config.line.basicId ?? null) : (own?.lineBasicId ?? null);
      return { employee, channels, basicId };
    });
  }

  /** 'email', 'sms', or 'none' when the employee has no contact anpi can use. */
  async send(contact: EmployeeContact, email: Omit<OutgoingEmail, 'from' | 'to'>, sms: string): Promise<'email' | 'sms' | 'none'> {
    const { employee, channels } = contact;
    if (employee.emails[0]) {
      await this.email.send({ ...email, from: channels.email, to: employee.emails[0] });
      return 'email';
    }
    if (employee.mobiles[0] && channels.sms) {
      await this.sms.send(channels.sms, employee.mobiles[0], sms);
      return 'sms';
    }
    return 'none';
  }
}
