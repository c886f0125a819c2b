import { Injectable } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, isDatabaseUnavailable, sqlOf, type Sql, type TenantId } from '#anpi/db';
import { TallyNotifier } from '#anpi/tallies';
import type { AnswerContext } from './answer-links.js';
import { Metrics } from '#anpi/metrics';
import { answerOutcome, judgeAnswer, type Recorded, type SubmitOutcome } from './answer-outcome.js';
import type { AnswerInput } from './answer-validator.js';
import { writeAnswers, type AnswerRow, type StoredAnswer } from './answer-writer.js';
import { ResolvedAnswerGroup } from './resolved-answer-group.js';

export interface AnswerSourceInfo {
  /** `line` / `lineworks`: the one-tap 無事です button, which answers one question and leaves the rest as they were. */
  source: 'self' | 'proxy' | 'line' | 'lineworks';
  enteredById?: string | null;
  /** When the employee answered, for an answer handled after the fact (the one-tap button's event time). */
  at?: Date;
}

/**
 * Recording one answer for a context already resolved: judged against the broadcast, written
 * (history row and the recipient's current answer), the tally told. What the worker needs for the
 * LINE one-tap, without the answer page's links. One-tap answers arriving together are written in
 * groups (ResolvedAnswerGroup); a proxy answer is written alone, audited in its transaction.
 */
@Injectable()
export class AnswerRecorder {
  constructor(
    private readonly db: TenantDb,
    private readonly tallies: TallyNotifier,
    private readonly audit: AuditLog,
    private readonly metrics: Metrics,
    private readonly groups: ResolvedAnswerGroup,
  ) {}

  /** An answer from a context already resolved (the LINE one-tap button, a proxy answer). */
  async submit(ctx: AnswerContext, input: AnswerInput, submissionKey: string, from: AnswerSourceInfo, actor?: Actor): Promise<SubmitOutcome> {
    const { tenantId, broadcast, recipient } = ctx;
    const outcome = await this.check(ctx, input, submissionKey, from, (write, row) =>
      // A proxy answer is audited in the same transaction, through Prisma.
      from.source === 'proxy' && actor
        ? this.db.run(tenantId, async (tx) => {
            const written = await write(sqlOf(tx));
            if (!written.duplicate) {
              await this.audit.record(tx, tenantId, actor, {
                action: 'answer.proxy',
                resourceType: 'recipient',
                resourceId: recipient.id,
                details: { broadcastId: broadcast.id, answerId: written.answer.id },
              });
            }
            return written;
          })
        : this.inGroup(tenantId, row, write),
    );
    this.metrics.answers.inc({ source: from.source, outcome: answerOutcome(outcome) });
    if (outcome.status === 'recorded' && !outcome.duplicate) await this.tallies.changed(tenantId, broadcast.id);
    return outcome;
  }

  /**
   * Closed and invalid answers are turned away; a valid one is handed to `store`, which writes it
   * with `write` in a transaction of its own or hands `row` to a group.
   */
  async check(
    ctx: AnswerContext,
    input: AnswerInput,
    submissionKey: string,
    from: AnswerSourceInfo,
    store: (write: (sql: Sql) => Promise<Recorded>, row: AnswerRow) => Promise<Recorded>,
  ): Promise<SubmitOutcome> {
    // The one-tap 無事です and a proxy answer from a phone call may leave required questions empty
    // (tallies count them as answeredPartially).
    const checked = judgeAnswer(ctx.broadcast, input, { partial: from.source === 'line' || from.source === 'lineworks' || from.source === 'proxy' });
    if (checked.status !== 'valid') return checked;
    const { tenantId, broadcast, recipient } = ctx;
    const row: AnswerRow = {
      broadcastId: broadcast.id,
      recipientId: recipient.id,
      answer: checked.answer,
      source: from.source,
      enteredById: from.enteredById ?? null,
      submissionKey,
      answeredAt: from.at,
    };
    return store(async (sql) => recorded((await writeAnswers(sql, tenantId, [row])).get(recipient.id)!), row);
  }

  /** In a group with the answers arriving meanwhile; alone when the group failed as a whole. */
  private async inGroup(tenantId: TenantId, row: AnswerRow, write: (sql: Sql) => Promise<Recorded>): Promise<Recorded> {
    try {
      return recorded(await this.groups.submit(tenantId, row));
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      // The submission key makes an answer the failed group did write count once.
      return this.db.sql(tenantId, write);
    }
  }
}

function recorded({ fresh, ...answer }: StoredAnswer): Recorded {
  return { status: 'recorded', answer, duplicate: !fresh };
}
