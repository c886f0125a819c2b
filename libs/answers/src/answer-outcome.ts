import type { Answer, Broadcast } from '#anpi/db';
import type { AnswerContext } from './answer-links.js';
import { validateAnswer, type AnswerInput, type AnswerProblem, type ValidAnswer } from './answer-validator.js';

export type SubmitOutcome =
  { status: 'recorded'; answer: Answer; duplicate: boolean } | { status: 'invalid'; problems: AnswerProblem[] } | { status: 'closed' };

export type Recorded = Extract<SubmitOutcome, { status: 'recorded' }>;

/** What an employee's form came to, with the context the page is rendered in. */
export interface AnsweredByLink {
  ctx: AnswerContext;
  outcome: SubmitOutcome;
}

/** Before anything is written: a closed broadcast turns every answer away, then the form is checked. */
export function judgeAnswer(
  broadcast: Pick<Broadcast, 'closedAt' | 'questions' | 'freeText'>,
  input: AnswerInput,
  options: { partial?: boolean } = {},
): Exclude<SubmitOutcome, Recorded> | { status: 'valid'; answer: ValidAnswer } {
  if (broadcast.closedAt) return { status: 'closed' };
  const checked = validateAnswer(broadcast, input, options);
  return checked.ok ? { status: 'valid', answer: checked.answer } : { status: 'invalid', problems: checked.problems };
}

/** The metrics label of an outcome: recorded, duplicate (a resubmitted form), invalid or closed. */
export function answerOutcome(outcome: SubmitOutcome): string {
  return outcome.status === 'recorded' ? (outcome.duplicate ? 'duplicate' : 'recorded') : outcome.status;
}
