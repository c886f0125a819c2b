import { Injectable } from '@nestjs/common';
import { offersQuickAnswer } from '#anpi/alerts';
import { AnswerRecorder, type AnswerContext } from '#anpi/answers';

const SELF_QUESTION = 'self';
const SAFE_OPTION = 'safe';

/**
 * 「無事です」 in one tap: records 本人 = 無事, keeping whatever else the employee already
 * answered. The event id is the submission key, so a redelivered postback records nothing twice.
 */
@Injectable()
export class QuickAnswer {
  constructor(private readonly answers: AnswerRecorder) {}

  /** `tappedAt`: the event's time, so a form the employee sent after the tap stays their current answer however late the tap is handled. */
  async recordSafe(ctx: AnswerContext, webhookEventId: string, tappedAt: Date | undefined): Promise<'recorded' | 'not_offered' | 'closed'> {
    if (!offersQuickAnswer(ctx.broadcast)) return 'not_offered';
    const earlier = (ctx.recipient.choices ?? {}) as Record<string, string>;
    const outcome = await this.answers.submit(
      ctx,
      { choices: { ...earlier, [SELF_QUESTION]: SAFE_OPTION }, message: ctx.recipient.message ?? undefined },
      `line:${webhookEventId}`,
      { source: 'line', at: tappedAt },
    );
    if (outcome.status === 'closed') return 'closed';
    if (outcome.status === 'invalid') throw new Error(`quick answer refused: ${outcome.problems.map((p) => `${p.field} ${p.code}`).join(', ')}`);
    return 'recorded';
  }
}
