import type { Answer, Broadcast } from '#anpi/db';
import type { AnswerContext } from './answer-links.js';
import { validateAnswer, type AnswerInput, type AnswerProblem, type ValidAnswer } from './answer-validator.js';

export type SubmitOutcome =
  | { status: 'recorded'; answer: Answer; duplicate: boolean }
  | { status: 'invalid'; problems: AnswerProblem[] }
  | { status: 'closed' };

export type Recorded = Extract<SubmitOutcome, { status: 'recorded' }>;

/** What an employee's form came to, with the context the page is rendered in. */
export interface AnsweredByLink {
  ctx: AnswerContext;
  outcome: SubmitOutcome;
}

/** Before anything is written: a closed broadcast turns every answer away, then the form is checked. */
export function judgeAnswer(broadcast: Pick<Broadcast, 'closedAt' | 'questions' | 'freeText'>, input: AnswerInput, options: { partial?: boolean } = {}): Exclude<SubmitOutcome, Recorded> | { status: 'valid'; answer: ValidAnswer } {
  if (broadcast.closedAt) return { status: 'closed' };
  const checked = validateAnswer(broadcast, input, options);
  return checked.ok ? { status: 'valid', answer: checked.answer } : { status: 'invalid', problems: checked.problems };
}

/** An answers row as the Prisma client shapes it, from raw SQL (`alias` qualifies the columns). */
export function answerFields(alias: string): string {
  const a = alias ? `${alias}.` : '';
  return `${a}id, ${a}tenant_id AS "tenantId", ${a}broadcast_id AS "broadcastId", ${a}recipient_id AS "recipientId", ${a}choices, ${a}message, ${a}source,
  ${a}entered_by_id AS "enteredById", ${a}submission_key AS "submissionKey", ${a}submitted_at AS "submittedAt"`;
}
