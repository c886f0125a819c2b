import { Injectable, Logger } from '@nestjs/common';
import QRCode from 'qrcode';
import { escapeHtml } from '#anpi/channels';
import { AppConfig } from '#anpi/config';
import { asTenantId } from '#anpi/db';
import { JobHandler, JobName } from '#anpi/queue';
import { ContactSender } from './contact-sender.js';
import { friendAddUrl } from './friend-links.js';
import { InviteTokenSigner } from './invite-token-signer.js';

export interface InviteJobData {
  tenantId: string;
  employeeId: string;
}

/**
 * The invitation: the account's friend-add link and QR code (for reading with another phone),
 * and the personal invitation page, which links with no one-time code.
 */
@Injectable()
export class InviteSender {
  private readonly logger = new Logger(InviteSender.name);

  constructor(
    private readonly contacts: ContactSender,
    private readonly signer: InviteTokenSigner,
    private readonly config: AppConfig,
  ) {}

  @JobHandler(JobName.SendLineInvite)
  async send(data: InviteJobData): Promise<{ sentBy: string }> {
    const tenantId = asTenantId(data.tenantId);
    const contact = await this.contacts.load(tenantId, data.employeeId);
    if (!contact || contact.employee.lineStatus === 'linked' || !contact.basicId || !contact.channels.line) {
      this.logger.warn({
        msg: 'line invite skipped',
        tenantId,
        reason: !contact ? 'no employee' : contact.employee.lineStatus === 'linked' ? 'already linked' : 'no LINE account',
      });
      return { sentBy: 'none' };
    }
    const page = `${this.config.publicBaseUrl}/l/i/${this.signer.sign({ tenantId, employeeId: data.employeeId })}`;
    const friend = friendAddUrl(contact.basicId);
    const qr = await QRCode.toBuffer(friend, { type: 'png', width: 240, margin: 1 });
    const name = contact.employee.name;
    const text = [
      `${name} さん`,
      '',
      '会社の安否確認をLINEで受け取れるよう、LINEの連携をお願いします。/ Please link your LINE account to receive safety checks on LINE.',
      '',
      '1. スマートフォンで次のリンクを開いてください (友だち追加と連携を続けて行えます)。/ Open this link on your phone:',
      page,
      '',
      `2. または、LINEで友だち追加 (${contact.basicId}) してから「連携する」を押してください。/ Or add ${contact.basicId} as a friend and tap 連携する:`,
      friend,
      '',
      'このリンクはあなた専用です (14日間有効)。転送しないでください。/ This link is yours alone (valid 14 days); do not forward it.',
    ].join('\n');
    const html = `<!doctype html><html lang="ja"><body style="font-family:sans-serif;line-height:1.6">
<p>${escapeHtml(name)} さん</p>
<p>会社の安否確認をLINEで受け取れるよう、LINEの連携をお願いします。<br>Please link your LINE account to receive safety checks on LINE.</p>
<p><a href="${escapeHtml(page)}"
style="display:inline-block;padding:14px 24px;background:#06C755;color:#fff;text-decoration:none;border-radius:6px;font-size:18px">LINEを連携する / Link LINE</a></p>
<p>パソコンで読んでいる場合は、スマートフォンのLINEでこのQRコードを読み取って友だち追加し、「連携する」を押してください。<br>Reading this on a computer? Scan the code with LINE on your phone, then tap 連携する.</p>
<p><img src="cid:line-friend-qr" width="240" height="240" alt="LINE ${escapeHtml(contact.basicId)}"></p>
<p style="font-size:12px;color:#555">このリンクはあなた専用です (14日間有効)。転送しないでください。/ This link is yours alone (valid 14 days); do not forward it.</p>
</body></html>`;
    const sentBy = await this.contacts.send(
      contact,
      {
        subject: '【安否確認】LINE連携のお願い / Please link your LINE account',
        text,
        html,
        inlineImages: [{ cid: 'line-friend-qr', filename: 'line-qr.png', contentType: 'image/png', content: qr }],
      },
      `【安否確認】LINE連携のお願い: ${page}`,
    );
    this.logger.log({ msg: 'line invite sent', tenantId, sentBy });
    return { sentBy };
  }
}
