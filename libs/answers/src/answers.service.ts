import { randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, sqlOf, type Answer, type Sql, type TenantId } from '#anpi/db';
import { TallyNotifier } from '#anpi/tallies';
import type { AnswerContext } from './answer-links.js';
import { validateAnswer, type AnswerInput, type AnswerProblem } from './answer-validator.js';

export type SubmitOutcome =
  | { status: 'recorded'; answer: Answer; duplicate: boolean }
  | { status: 'invalid'; problems: AnswerProblem[] }
  | { status: 'closed' };

export interface AnswerSourceInfo {
  /** `line`: the one-tap 無事です button, which answers one question and leaves the rest as they were. */
  source: 'self' | 'proxy' | 'line';
  enteredById?: string | null;
}

/**
 * Recording answers. Each submission is a new row (history); the recipient row holds the newest
 * one for tallies. The form's submission key makes a double tap or a network retry one answer.
 */
const ANSWER_FIELDS = `id, tenant_id AS "tenantId", broadcast_id AS "broadcastId", recipient_id AS "recipientId", choices, message, source,
  entered_by_id AS "enteredById", submission_key AS "submissionKey", submitted_at AS "submittedAt"`;

@Injectable()
export class AnswersService {
  constructor(
    private readonly db: TenantDb,
    private readonly tallies: TallyNotifier,
    private readonly audit: AuditLog,
  ) {}

  /** The first opening of the page, as distinct from answering. */
  async opened(ctx: AnswerContext): Promise<void> {
    if (ctx.recipient.openedAt) return;
    const updated = await this.db.sql(ctx.tenantId, (sql) =>
      sql('UPDATE recipients SET opened_at = now() WHERE id = $1::uuid AND tenant_id = $2::uuid AND opened_at IS NULL RETURNING id', [ctx.recipient.id, ctx.tenantId]),
    );
    if (updated.length) await this.tallies.changed(ctx.tenantId, ctx.broadcast.id);
  }

  async submit(ctx: AnswerContext, input: AnswerInput, submissionKey: string, from: AnswerSourceInfo, actor?: Actor): Promise<SubmitOutcome> {
    if (ctx.broadcast.closedAt) return { status: 'closed' };
    const checked = validateAnswer(ctx.broadcast, input, { partial: from.source === 'line' });
    if (!checked.ok) return { status: 'invalid', problems: checked.problems };
    const { tenantId, broadcast, recipient } = ctx;
    const write = async (sql: Sql) => {
      // One statement: the answer, and (the newest answer being the current one, whichever
      // transaction commits last) the recipient's copy of it.
      const [inserted] = await sql<Answer>(
        `WITH inserted AS (
           INSERT INTO answers (id, tenant_id, broadcast_id, recipient_id, choices, message, source, entered_by_id, submission_key, submitted_at)
           VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, $4::jsonb, $5, $6::"AnswerSource", $7::uuid, $8, now())
           ON CONFLICT (recipient_id, submission_key) DO NOTHING
           RETURNING *
         ), current AS (
           UPDATE recipients r SET choices = i.choices, message = i.message, answered_at = i.submitted_at
           FROM inserted i
           WHERE r.id = i.recipient_id AND r.tenant_id = i.tenant_id AND (r.answered_at IS NULL OR r.answered_at <= i.submitted_at)
         )
         SELECT ${ANSWER_FIELDS} FROM inserted`,
        [tenantId, broadcast.id, recipient.id, JSON.stringify(checked.answer.choices), checked.answer.message, from.source, from.enteredById ?? null, submissionKey],
      );
      if (!inserted) {
        const [earlier] = await sql<Answer>(`SELECT ${ANSWER_FIELDS} FROM answers WHERE tenant_id = $1::uuid AND recipient_id = $2::uuid AND submission_key = $3`, [tenantId, recipient.id, submissionKey]);
        return { status: 'recorded' as const, answer: earlier!, duplicate: true };
      }
      return { status: 'recorded' as const, answer: inserted, duplicate: false };
    };
    // Employees' own answers (the disaster-day load) go straight to the pool; a proxy answer is
    // audited in the same transaction, through Prisma.
    const outcome =
      from.source === 'proxy' && actor
        ? await this.db.run(tenantId, async (tx) => {
            const written = await write(sqlOf(tx));
            if (!written.duplicate) {
              await this.audit.record(tx, tenantId, actor, { action: 'answer.proxy', resourceType: 'recipient', resourceId: recipient.id, details: { broadcastId: broadcast.id, answerId: written.answer.id } });
            }
            return written;
          })
        : await this.db.sql(tenantId, write);
    if (!outcome.duplicate) await this.tallies.changed(tenantId, broadcast.id);
    return outcome;
  }

  /** An admin records an answer for an employee (after a phone call), marked as proxy. */
  async proxy(tenantId: TenantId, actor: Actor, broadcastId: string, recipientId: string, input: AnswerInput, idempotencyKey?: string): Promise<Answer> {
    const ctx = await this.db.run(tenantId, async (tx) => {
      const broadcast = await tx.broadcast.findFirst({ where: { id: broadcastId, tenantId } });
      const recipient = broadcast ? await tx.recipient.findFirst({ where: { id: recipientId, broadcastId, tenantId } }) : null;
      return broadcast && recipient ? { tenantId, broadcast, recipient } : null;
    });
    if (!ctx) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `Recipient ${recipientId} of broadcast ${broadcastId} not found` });
    const outcome = await this.submit(ctx, input, `proxy:${idempotencyKey ?? randomUUID()}`, { source: 'proxy', enteredById: actor.type === 'user' ? actor.id : null }, actor);
    if (outcome.status === 'closed') throw new ConflictException({ statusCode: 409, error: 'Conflict', code: 'broadcast_closed', message: 'The broadcast is closed: no more answers are accepted' });
    if (outcome.status === 'invalid') {
      const errors = outcome.problems.map((p) => ({ field: p.field === 'message' ? 'message' : `choices.${p.field}`, reason: reason(p) }));
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `Validation failed: ${errors.map((e) => `${e.field} ${e.reason}`).join('; ')}`, errors });
    }
    return outcome.answer;
  }

  async history(ctx: AnswerContext): Promise<Answer[]> {
    return this.db.run(ctx.tenantId, (tx) => tx.answer.findMany({ where: { tenantId: ctx.tenantId, recipientId: ctx.recipient.id }, orderBy: { submittedAt: 'desc' } }));
  }
}

function reason(p: AnswerProblem): string {
  switch (p.code) {
    case 'required':
      return 'is required';
    case 'unknown_option':
      return 'is not one of the options';
    case 'too_long':
      return `must be at most ${p.limit} characters`;
    case 'unknown_question':
      return 'is not a question of this broadcast';
  }
}
