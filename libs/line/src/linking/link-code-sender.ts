import { Injectable } from '@nestjs/common';
import { asTenantId } from '#anpi/db';
import { JobHandler, JobName } from '#anpi/queue';
import { ContactSender } from './contact-sender.js';
import type { LinkCodeJobData } from './link-codes.js';

/** Sends the one-time code of the link page to the employee's registered email or mobile. */
@Injectable()
export class LinkCodeSender {
  constructor(private readonly contacts: ContactSender) {}

  @JobHandler(JobName.SendLinkCode)
  async send(data: LinkCodeJobData): Promise<{ sentBy: string }> {
    const contact = await this.contacts.load(asTenantId(data.tenantId), data.employeeId);
    if (!contact) return { sentBy: 'none' };
    const text = [
      `LINE連携の確認コード: ${data.code}`,
      '10分間有効です。心当たりがない場合は、このメッセージを無視してください。',
      `Your LINE linking code: ${data.code} (valid 10 minutes). If you did not ask for it, ignore this message.`,
    ].join('\n');
    const sentBy = await this.contacts.send(
      contact,
      {
        subject: `【安否確認】LINE連携の確認コード ${data.code} / Your linking code`,
        text,
        html: `<!doctype html><html lang="ja"><body style="font-family:sans-serif"><p style="white-space:pre-wrap">${text}</p></body></html>`,
      },
      `【安否確認】LINE連携の確認コード: ${data.code} (10分間有効)`,
    );
    return { sentBy };
  }
}
