import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '#anpi/accounts';
import { AnswerTokenSigner, ShortAnswerLinks } from '#anpi/alerts';
import { AnswersService } from '#anpi/answers';
import { isDatabaseUnavailable } from '#anpi/db';
import { sendHtml } from '../http/html-response.js';
import { ClientIp } from '../http/params.js';
import { BadLinkLimiter } from './bad-link-limiter.js';
import { langOf } from './messages.js';
import { Metrics } from '#anpi/metrics';
import { answerOutcome } from '#anpi/answers';
import { answerPage, closedPage, errorPage, locationPage, thanksPage } from './views.js';

/**
 * The page employees answer on: server-rendered HTML that works without JavaScript, in the
 * recipient's language (or the one they switch to). Tokens never reach logs or other sites.
 */
@ApiExcludeController()
@Public()
@Controller()
export class AnswerPageController {
  constructor(
    private readonly answers: AnswersService,
    private readonly limiter: BadLinkLimiter,
    private readonly shortLinks: ShortAnswerLinks,
    private readonly signer: AnswerTokenSigner,
    private readonly metrics: Metrics,
  ) {}

  /**
   * The short link SMS carry: the same page as the recipient's /a/ link (its form posts there),
   * until the same deadline. An unknown code counts as a forged link for the address's limit.
   */
  @Get('s/:code')
  async showShort(@Param('code') code: string, @Query('lang') lang: unknown, @ClientIp() ip: string, @Res() res: Response): Promise<void> {
    await unavailableAsPage(res, lang, async () => {
      const target = await this.shortLinks.resolve(code);
      if (!target) return this.forged(ip, lang, res);
      await this.showPage(this.signer.sign(target), lang, ip, res);
    });
  }

  @Get('a/:token')
  async show(@Param('token') token: string, @Query('lang') lang: unknown, @ClientIp() ip: string, @Res() res: Response): Promise<void> {
    await unavailableAsPage(res, lang, () => this.showPage(token, lang, ip, res));
  }

  @Post('a/:token')
  async submit(@Param('token') token: string, @Body() body: Record<string, unknown>, @ClientIp() ip: string, @Res() res: Response): Promise<void> {
    await unavailableAsPage(res, body.lang, () => this.submitAnswer(token, body, ip, res));
  }

  private async showPage(token: string, lang: unknown, ip: string, res: Response): Promise<void> {
    const opened = await this.answers.openByLink(token);
    if (opened.kind === 'forged') return this.forged(ip, lang, res);
    if (opened.kind === 'unknown') return send(res, 404, errorPage(langOf(lang), 'invalid'));
    const ctx = opened.value;
    const l = langOf(lang, ctx.recipient.locale);
    if (ctx.broadcast.closedAt) return send(res, 200, closedPage({ lang: l, token, ...ctx }));
    if (ctx.recipient.locationCheck === 'asked' || ctx.recipient.locationCheck === 'outside')
      return send(res, 200, locationPage({ lang: l, token, ...ctx }, ctx.recipient.locationCheck === 'outside'));
    send(res, 200, answerPage({ lang: l, token, ...ctx, submissionKey: randomUUID() }));
  }

  /** The location check's answer: in the area (on to the form, and into the tally) or not. */
  @Post('a/:token/location')
  async location(@Param('token') token: string, @Body() body: Record<string, unknown>, @ClientIp() ip: string, @Res() res: Response): Promise<void> {
    await unavailableAsPage(res, body.lang, async () => {
      if (body.here !== 'yes' && body.here !== 'no') return send(res, 400, errorPage(langOf(body.lang), 'invalid'));
      const found = await this.answers.recordLocation(token, body.here === 'yes');
      if (found.kind === 'forged') return this.forged(ip, body.lang, res);
      if (found.kind === 'unknown') return send(res, 404, errorPage(langOf(body.lang), 'invalid'));
      const ctx = found.value;
      const l = langOf(body.lang, ctx.recipient.locale);
      if (ctx.broadcast.closedAt) return send(res, 409, closedPage({ lang: l, token, ...ctx }));
      if (body.here === 'no') return send(res, 200, locationPage({ lang: l, token, ...ctx }, true));
      res.redirect(303, `/a/${encodeURIComponent(token)}?lang=${l}`);
    });
  }

  private async submitAnswer(token: string, body: Record<string, unknown>, ip: string, res: Response): Promise<void> {
    const choices = Object.fromEntries(
      Object.entries(body)
        .filter(([k]) => k.startsWith('q.'))
        .map(([k, v]) => [k.slice(2), typeof v === 'string' ? v : undefined]),
    );
    const message = typeof body.message === 'string' ? body.message : undefined;
    const key = typeof body.k === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(body.k) ? body.k : randomUUID();
    const answered = await this.answers.answerByLink(token, { choices, message }, key);
    if (answered.kind !== 'found') this.metrics.answers.inc({ source: 'self', outcome: 'bad_link' });
    if (answered.kind === 'forged') return this.forged(ip, body.lang, res);
    if (answered.kind === 'unknown') return send(res, 404, errorPage(langOf(body.lang), 'invalid'));
    const { ctx, outcome } = answered.value;
    this.metrics.answers.inc({ source: 'self', outcome: answerOutcome(outcome) });
    const l = langOf(body.lang, ctx.recipient.locale);
    if (outcome.status === 'closed') return send(res, 409, closedPage({ lang: l, token, ...ctx }));
    if (outcome.status === 'invalid') {
      return send(res, 400, answerPage({ lang: l, token, ...ctx, submissionKey: key, values: { choices, message }, problems: outcome.problems }));
    }
    const recipient = { ...ctx.recipient, choices: outcome.answer.choices, message: outcome.answer.message, answeredAt: outcome.answer.submittedAt };
    send(res, 200, thanksPage({ lang: l, token, ...ctx, recipient }, outcome.answer));
  }

  /**
   * A link whose MAC does not check out: a typo, a truncated copy, or someone guessing. Guessing a
   * 128-bit MAC is pointless, but trying should also be slow: an address with too many of these in
   * a minute gets 429 for them. Genuine links are never counted or turned away, so employees behind
   * one carrier-grade NAT address cannot lock each other out during a disaster.
   */
  private async forged(ip: string, lang: unknown, res: Response): Promise<void> {
    if (await this.limiter.blocked(ip)) return send(res, 429, errorPage(langOf(lang), 'too_many'));
    await this.limiter.bad(ip);
    send(res, 404, errorPage(langOf(lang), 'invalid'));
  }
}

function send(res: Response, status: number, html: string): void {
  sendHtml(res, status, html);
}

/**
 * The database unreachable (restarting, failing over): nothing was written (an answer is written in
 * one transaction, alone or with its group), so the employee is told to send again in a few seconds
 * — the same submission key makes the retry count once — with a 503 and Retry-After rather than a
 * bare 500.
 */
async function unavailableAsPage(res: Response, lang: unknown, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!isDatabaseUnavailable(error) || res.headersSent) throw error;
    res.setHeader('Retry-After', '5');
    send(res, 503, errorPage(langOf(lang), 'unavailable'));
  }
}
