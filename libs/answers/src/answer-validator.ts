import type { Broadcast } from '#anpi/db';
import { content } from '#anpi/alerts';

export interface AnswerInput {
  /** questionId → optionId, as submitted. */
  choices: Record<string, string | undefined>;
  message?: string;
}

export interface ValidAnswer {
  choices: Record<string, string>;
  message: string | null;
}

export type AnswerProblem = { field: string; code: 'required' | 'unknown_option' | 'too_long' | 'unknown_question'; limit?: number };

/**
 * Checks an answer against the broadcast's own questions (as they were at launch). A partial
 * answer (LINE's one-tap button) may leave required questions for the form.
 */
export function validateAnswer(
  broadcast: Pick<Broadcast, 'questions' | 'freeText'>,
  input: AnswerInput,
  options: { partial?: boolean } = {},
): { ok: true; answer: ValidAnswer } | { ok: false; problems: AnswerProblem[] } {
  const questions = content.questions(broadcast.questions);
  const freeText = content.freeText(broadcast.freeText);
  const problems: AnswerProblem[] = [];
  const choices: Record<string, string> = {};
  for (const q of questions) {
    const value = input.choices[q.id];
    if (value === undefined || value === '') {
      if (q.required && !options.partial) problems.push({ field: q.id, code: 'required' });
      continue;
    }
    if (!q.options.some((o) => o.id === value)) problems.push({ field: q.id, code: 'unknown_option' });
    else choices[q.id] = value;
  }
  for (const key of Object.keys(input.choices)) {
    if (!questions.some((q) => q.id === key)) problems.push({ field: key, code: 'unknown_question' });
  }
  const message = (input.message ?? '').normalize('NFC').trim();
  if (freeText) {
    if (freeText.required && !message && !options.partial) problems.push({ field: 'message', code: 'required' });
    if ([...message].length > freeText.maxLength) problems.push({ field: 'message', code: 'too_long', limit: freeText.maxLength });
  } else if (message) {
    problems.push({ field: 'message', code: 'unknown_question' });
  }
  return problems.length ? { ok: false, problems } : { ok: true, answer: { choices, message: message || null } };
}
