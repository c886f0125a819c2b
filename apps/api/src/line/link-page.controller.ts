import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import QRCode from 'qrcode';
import { Public } from '#anpi/accounts';
import { AppConfig } from '#anpi/config';
import {
  AccountLinkStart,
  ContactSender,
  InviteTokenSigner,
  LinkCodes,
  friendAddUrl,
  inviteMessage,
  prefilledMessageUrl,
  type KnownLineChannel,
} from '#anpi/line';
import { BadLinkLimiter } from '../answer-page/bad-link-limiter.js';
import { sendHtml } from '../http/html-response.js';
import { ClientIp } from '../http/params.js';
import { codePage, confirmPage, identifyPage, invitePage, linkErrorPage, type LinkPageState } from './link-page.views.js';

const LINK_TOKEN = /^[A-Za-z0-9_-]{8,128}$/;

/**
 * Where 「連携する」 leads: establishes which employee is linking (their invitation, or employee
 * code plus a one-time code), then hands over to LINE's account-link dialog with a nonce. Plain
 * HTML forms, no script, for LINE's in-app browser on a bad network.
 */
@ApiExcludeController()
@Public()
@Controller('l')
export class LinkPageController {
  constructor(
    private readonly start: AccountLinkStart,
    private readonly codes: LinkCodes,
    private readonly invites: InviteTokenSigner,
    private readonly contacts: ContactSender,
    private readonly limiter: BadLinkLimiter,
    private readonly config: AppConfig,
  ) {}

  /** The personal invitation from the email or SMS: add the account, then send the linking message. */
  @Get('i/:invite')
  async invitation(@Param('invite') invite: string, @ClientIp() ip: string, @Res() res: Response): Promise<void> {
    const claims = (await this.limiter.blocked(ip)) ? null : this.invites.verify(invite);
    const contact = claims && (await this.contacts.load(claims.tenantId, claims.employeeId));
    if (!contact?.basicId || !contact.channels.line) {
      if (!claims) await this.limiter.bad(ip);
      return this.send(res, 404, linkErrorPage('invalid'));
    }
    const qr = await QRCode.toDataURL(`${this.config.publicBaseUrl}/l/i/${invite}`, { width: 200, margin: 1 });
    this.send(
      res,
      200,
      invitePage(contact.employee.name, friendAddUrl(contact.basicId), prefilledMessageUrl(contact.basicId, inviteMessage(invite)), qr, contact.basicId),
    );
  }

  @Get(':linkToken')
  async show(@Param('linkToken') linkToken: string, @Query('c') c: unknown, @Query('i') invite: unknown, @Res() res: Response): Promise<void> {
    const state = await this.state(linkToken, c, res);
    if (!state) return;
    const invited = invite ? await this.start.invited(state.channel, invite) : null;
    if (invited) return this.send(res, 200, confirmPage(state, invite as string, invited.name));
    this.send(res, 200, identifyPage(state, !state.channel.tenantId));
  }

  @Post(':linkToken/confirm')
  async confirm(@Param('linkToken') linkToken: string, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const state = await this.state(linkToken, body.c, res);
    if (!state) return;
    const invited = await this.start.invited(state.channel, body.i);
    if (!invited)
      return this.send(
        res,
        200,
        identifyPage(
          state,
          !state.channel.tenantId,
          '招待リンクが使えませんでした。社員番号で本人確認してください。/ The invitation could not be used: please confirm with your employee number.',
        ),
      );
    res.redirect(303, await this.start.redirect(state.channel, linkToken, invited.tenantId, invited.employeeId));
  }

  @Post(':linkToken/code')
  async code(@Param('linkToken') linkToken: string, @Body() body: Record<string, unknown>, @ClientIp() ip: string, @Res() res: Response): Promise<void> {
    const state = await this.state(linkToken, body.c, res);
    if (!state) return;
    const session = await this.codes.start(state.channel, text(body.company), text(body.employee), ip);
    if (!session) return this.send(res, 429, linkErrorPage('too_many'));
    this.send(res, 200, codePage(state, session));
  }

  @Post(':linkToken/verify')
  async verify(@Param('linkToken') linkToken: string, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const state = await this.state(linkToken, body.c, res);
    if (!state) return;
    const check = await this.codes.check(state.channel.key, text(body.s), text(body.code));
    if (check.status === 'ok') return void res.redirect(303, await this.start.redirect(state.channel, linkToken, check.tenantId, check.employeeId));
    if (check.status === 'wrong') {
      return this.send(
        res,
        400,
        codePage(state, text(body.s), `確認コードが違います (あと${check.attemptsLeft}回)。/ That code is not right (${check.attemptsLeft} attempts left).`),
      );
    }
    this.send(
      res,
      400,
      identifyPage(
        state,
        !state.channel.tenantId,
        '確認コードの有効期限が切れたか、試行回数の上限に達しました。もう一度お試しください。/ The code has expired or too many attempts were made: please start again.',
      ),
    );
  }

  private async state(linkToken: string, channelKey: unknown, res: Response): Promise<(LinkPageState & { channel: KnownLineChannel }) | null> {
    const channel = LINK_TOKEN.test(linkToken) ? await this.start.channel(channelKey) : null;
    if (!channel) {
      this.send(res, 404, linkErrorPage('invalid'));
      return null;
    }
    return { linkToken, channelKey: channel.key, channel };
  }

  private send(res: Response, status: number, html: string): void {
    // The confirmed form redirects to LINE's account-link dialog.
    sendHtml(res, status, html, { formAction: new URL(this.config.line.accountLinkUrl).origin, images: true });
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 200) : '';
}
