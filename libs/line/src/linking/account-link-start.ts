import { Injectable } from '@nestjs/common';
import { AppConfig } from '#anpi/config';
import type { TenantId } from '#anpi/db';
import { LineChannelDirectory, type KnownLineChannel } from '../line-channel-directory.js';
import { ContactSender } from './contact-sender.js';
import { InviteTokenSigner } from './invite-token-signer.js';
import { LinkNonces } from './link-nonces.js';

export interface InvitedEmployee {
  tenantId: TenantId;
  employeeId: string;
  name: string;
}

/**
 * The link page's side of LINE's account-link flow: which channel the page was opened for, who
 * an invitation names, and, once the employee is established, the redirect to LINE with the link
 * token and a fresh nonce.
 */
@Injectable()
export class AccountLinkStart {
  constructor(
    private readonly channels: LineChannelDirectory,
    private readonly invites: InviteTokenSigner,
    private readonly contacts: ContactSender,
    private readonly nonces: LinkNonces,
    private readonly config: AppConfig,
  ) {}

  channel(key: unknown): Promise<KnownLineChannel | null> {
    return typeof key === 'string' && key.length <= 32 ? this.channels.find(key) : Promise.resolve(null);
  }

  /** The employee an invitation names, if it is live and meant for this channel. */
  async invited(channel: KnownLineChannel, token: unknown): Promise<InvitedEmployee | null> {
    const claims = this.invites.verify(token);
    if (!claims || (channel.tenantId && channel.tenantId !== claims.tenantId)) return null;
    const contact = await this.contacts.load(claims.tenantId, claims.employeeId);
    if (!contact || contact.channels.line?.channelKey !== channel.key) return null;
    return { ...claims, name: contact.employee.name };
  }

  async redirect(channel: KnownLineChannel, linkToken: string, tenantId: TenantId, employeeId: string): Promise<string> {
    const nonce = await this.nonces.issue(tenantId, employeeId, channel.key);
    return `${this.config.line.accountLinkUrl}?${new URLSearchParams({ linkToken, nonce })}`;
  }
}
