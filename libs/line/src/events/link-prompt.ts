import { Injectable } from '@nestjs/common';
import { AppConfig } from '#anpi/config';
import { LineChannel, type LineMessage } from '#anpi/channels';
import type { KnownLineChannel } from '../line-channel-directory.js';
import { linkPrompt } from './line-messages.js';

/**
 * The 「連携する」 button: LINE issues a link token for this user (10 minutes, single use) and the
 * button opens anpi's link page with it; the invitation, when the employee came through one,
 * rides along so they need no one-time code.
 */
@Injectable()
export class LinkPrompt {
  constructor(
    private readonly line: LineChannel,
    private readonly config: AppConfig,
  ) {}

  async message(channel: KnownLineChannel, lineUserId: string, inviteToken?: string): Promise<LineMessage> {
    const linkToken = await this.line.issueLinkToken(channel.credentials, lineUserId);
    const query = new URLSearchParams({ c: channel.key, ...(inviteToken && { i: inviteToken }) });
    return linkPrompt(`${this.config.publicBaseUrl}/l/${encodeURIComponent(linkToken)}?${query}`, !!inviteToken);
  }
}
