import { Injectable, Logger } from '@nestjs/common';
import { AnswerTokenSigner, MessageComposer, displayTitle, offersQuickAnswer } from '#anpi/alerts';
import { AnswerRecorder, type AnswerContext } from '#anpi/answers';
import { TenantDb, type TenantId } from '#anpi/db';
import { InboxRecorder, LINEWORKS_PREFIX } from '#anpi/line';
import { JobHandler, JobName } from '#anpi/queue';
import { LineWorksBotDirectory, type KnownBot } from '../bot-directory.js';
import { postbackOf, type LineWorksEvent, type LineWorksEventJobData } from './lineworks-event.js';
import { CLOSED, NOT_A_RECIPIENT, NOT_OFFERED, SAFE_RECORDED, UNKNOWN_SENDER, notAnAnswer } from './lineworks-messages.js';
import { LineWorksReplier } from './lineworks-replier.js';
import { LineWorksUsers } from './lineworks-users.js';

/**
 * One LINE WORKS callback event per job. 無事です (a postback `safe:<answer token>`) records 本人 =
 * 無事 for the recipient the signed token names, only in the bot's own tenant; text goes to the
 * tenant's inbox, attributed to the employee, with the automatic reply LINE gets. Idempotent per
 * event (the event key is the answer's submission key and the inbox message's event id).
 */
@Injectable()
export class LineWorksEventHandler {
  private readonly logger = new Logger('LineWorksEvents');

  constructor(
    private readonly bots: LineWorksBotDirectory,
    private readonly db: TenantDb,
    private readonly signer: AnswerTokenSigner,
    private readonly answers: AnswerRecorder,
    private readonly composer: MessageComposer,
    private readonly users: LineWorksUsers,
    private readonly inbox: InboxRecorder,
    private readonly replier: LineWorksReplier,
  ) {}

  @JobHandler(JobName.HandleLineWorksEvent)
  async handle({ botId, eventKey, event }: LineWorksEventJobData): Promise<{ outcome: string }> {
    const bot = await this.bots.find(botId);
    const userId = event.source?.userId;
    let outcome = 'ignored';
    if (bot && userId) {
      const postback = postbackOf(event);
      if (postback?.startsWith('safe:')) outcome = await this.safe(bot, userId, postback.slice('safe:'.length), eventKey, timeOf(event));
      else if (event.type === 'message' && event.content?.type === 'text' && typeof event.content.text === 'string')
        outcome = await this.text(bot, userId, event.content.text, eventKey);
    }
    this.logger.log({ msg: 'lineworks event', botId, tenantId: bot?.tenantId, type: event.type, outcome });
    return { outcome };
  }

  private async safe(bot: KnownBot, userId: string, token: string, eventKey: string, tappedAt: Date | undefined): Promise<string> {
    const ctx = await this.recipientOf(bot.tenantId, token);
    if (!ctx) {
      await this.replier.reply(bot.tenantId, userId, NOT_A_RECIPIENT);
      return 'not_recipient';
    }
    if (ctx.broadcast.closedAt) {
      await this.replier.reply(bot.tenantId, userId, CLOSED);
      return 'closed';
    }
    if (!offersQuickAnswer(ctx.broadcast)) {
      await this.replier.reply(bot.tenantId, userId, NOT_OFFERED);
      return 'not_offered';
    }
    const earlier = (ctx.recipient.choices ?? {}) as Record<string, string>;
    const outcome = await this.answers.submit(
      ctx,
      { choices: { ...earlier, self: 'safe' }, message: ctx.recipient.message ?? undefined },
      `lineworks:${eventKey}`,
      // The tap's time: a form sent after it stays the current answer however late the tap is handled.
      { source: 'lineworks', at: tappedAt },
    );
    if (outcome.status === 'closed') {
      await this.replier.reply(bot.tenantId, userId, CLOSED);
      return 'closed';
    }
    if (outcome.status === 'invalid') throw new Error(`quick answer refused: ${outcome.problems.map((p) => `${p.field} ${p.code}`).join(', ')}`);
    await this.users.learn(bot.tenantId, userId, ctx.recipient.employeeId);
    await this.replier.reply(bot.tenantId, userId, SAFE_RECORDED);
    return 'answered_safe';
  }

  /** The recipient a signed answer token names, if its broadcast is the bot's tenant's. */
  private async recipientOf(tenantId: TenantId, token: string): Promise<AnswerContext | null> {
    const claims = this.signer.verify(token);
    if (!claims.ok) return null;
    return this.db.run(tenantId, async (tx) => {
      const broadcast = await tx.broadcast.findFirst({ where: { id: claims.broadcastId, tenantId } });
      const recipient = broadcast && (await tx.recipient.findFirst({ where: { id: claims.recipientId, tenantId, broadcastId: broadcast.id } }));
      return broadcast && recipient ? { tenantId, broadcast, recipient } : null;
    });
  }

  private async text(bot: KnownBot, userId: string, text: string, eventKey: string): Promise<string> {
    const employeeId = await this.users.employeeOf(bot.tenantId, userId);
    if (!employeeId) {
      await this.replier.reply(bot.tenantId, userId, UNKNOWN_SENDER);
      return 'unknown_sender';
    }
    await this.inbox.record([{ tenantId: bot.tenantId, employeeId }], `${LINEWORKS_PREFIX}${bot.botId}`, userId, eventKey, text);
    await this.replier.reply(bot.tenantId, userId, notAnAnswer(await this.openLinks(bot.tenantId, employeeId)));
    return 'inbox';
  }

  private async openLinks(tenantId: TenantId, employeeId: string): Promise<{ title: string; url: string }[]> {
    const rows = await this.db.run(tenantId, (tx) =>
      tx.recipient.findMany({
        where: { tenantId, employeeId, broadcast: { closedAt: null, status: { not: 'cancelled' }, answerExpiresAt: { gt: new Date() } } },
        include: { broadcast: true },
        orderBy: { broadcast: { createdAt: 'desc' } },
        take: 1,
      }),
    );
    return rows.map(({ broadcast, ...recipient }) => ({ title: displayTitle(broadcast), url: this.composer.answerLink(broadcast, recipient) }));
  }
}

/** The callback's `issuedTime` (ISO 8601), if it is one. */
function timeOf(event: LineWorksEvent): Date | undefined {
  const ms = Date.parse(event.issuedTime ?? '');
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}
