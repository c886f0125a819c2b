import { Injectable } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, sqlOf, type Sql } from '#anpi/db';
import { TallyNotifier } from '#anpi/tallies';
import type { AnswerContext } from './answer-links.js';
import { Metrics } from '#anpi/metrics';
import { answerOutcome, judgeAnswer, type Recorded, type SubmitOutcome } from './answer-outcome.js';
import type { AnswerInput } from './answer-validator.js';
import { writeAnswers } from './answer-writer.js';

export interface AnswerSourceInfo {
  /** `line` / `lineworks`: the one-tap 無事です button, which answers one question and leaves the rest as they were. */
  source: 'self' | 'proxy' | 'line' | 'lineworks';
  enteredById?: string | null;
}

/**
 * Recording one answer for a context already resolved: judged against the broadcast, written
 * (history row and the recipient's current answer), the tally told. What the worker needs for the
 * LINE one-tap, without the answer page's group commits and links.
 */
@Injectable()
export class AnswerRecorder {
  constructor(
    private readonly db: TenantDb,
    private readonly tallies: TallyNotifier,
    private readonly audit: AuditLog,
    private readonly metrics: Metrics,
  ) {}

  /** An answer from a context already resolved (the LINE one-tap button, a proxy answer). */
  async submit(ctx: AnswerContext, input: AnswerInput, submissionKey: string, from: AnswerSourceInfo, actor?: Actor): Promise<SubmitOutcome> {
    const { tenantId, broadcast, recipient } = ctx;
    const outcome = await this.check(ctx, input, submissionKey, from, (write) =>
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
        : this.db.sql(tenantId, write),
    );
    this.metrics.answers.inc({ source: from.source, outcome: answerOutcome(outcome) });
    if (outcome.status === 'recorded' && !outcome.duplicate) await this.tallies.changed(tenantId, broadcast.id);
    return outcome;
  }

  /** Closed and invalid answers are turned away; a valid one is handed to `store` to write. */
  async check(
    ctx: AnswerContext,
    input: AnswerInput,
    submissionKey: string,
    from: AnswerSourceInfo,
    store: (write: (sql: Sql) => Promise<Recorded>) => Promise<Recorded>,
  ): Promise<SubmitOutcome> {
    // The one-tap 無事です and a proxy answer from a phone call may leave required questions empty
    // (tallies count them as answeredPartially).
    const checked = judgeAnswer(ctx.broadcast, input, { partial: from.source === 'line' || from.source === 'lineworks' || from.source === 'proxy' });
    if (checked.status !== 'valid') return checked;
    const { tenantId, broadcast, recipient } = ctx;
    return store(async (sql) => {
      const stored = await writeAnswers(sql, tenantId, [
        {
          broadcastId: broadcast.id,
          recipientId: recipient.id,
          answer: checked.answer,
          source: from.source,
          enteredById: from.enteredById ?? null,
          submissionKey,
        },
      ]);
      const { fresh, ...answer } = stored.get(recipient.id)!;
      return { status: 'recorded', answer, duplicate: !fresh };
    });
  }
}
