import { PRESETS } from '#anpi/alerts';
import { validateAnswer } from './answer-validator.js';

const quake = { questions: PRESETS.earthquake!.questions, freeText: PRESETS.earthquake!.freeText } as never;
const all = { self: 'safe', family: 'all_safe', home: 'no_damage', work: 'yes' };

describe('validateAnswer', () => {
  it('accepts a complete answer and trims the message', () => {
    expect(validateAnswer(quake, { choices: all, message: '  無事です  ' })).toEqual({ ok: true, answer: { choices: all, message: '無事です' } });
    expect(validateAnswer(quake, { choices: all, message: '' })).toEqual({ ok: true, answer: { choices: all, message: null } });
  });

  it('names every missing required question, unknown option and over-long message', () => {
    const result = validateAnswer(quake, { choices: { self: 'fine', family: 'all_safe', extra: 'x' }, message: 'あ'.repeat(501) });
    expect(result).toEqual({
      ok: false,
      problems: [
        { field: 'self', code: 'unknown_option' },
        { field: 'home', code: 'required' },
        { field: 'work', code: 'required' },
        { field: 'extra', code: 'unknown_question' },
        { field: 'message', code: 'too_long', limit: 500 },
      ],
    });
  });

  it('counts characters, not UTF-16 units, against the limit', () => {
    expect(validateAnswer(quake, { choices: all, message: '😀'.repeat(500) }).ok).toBe(true);
  });

  it('refuses a message when the broadcast has no free text', () => {
    expect(validateAnswer({ questions: [], freeText: null } as never, { choices: {}, message: 'hi' })).toEqual({
      ok: false,
      problems: [{ field: 'message', code: 'unknown_question' }],
    });
  });

  it("lets a partial answer (LINE's one-tap 無事です) leave required questions for the form, but still checks what it gives", () => {
    expect(validateAnswer(quake, { choices: { self: 'safe' } }, { partial: true })).toEqual({ ok: true, answer: { choices: { self: 'safe' }, message: null } });
    expect(validateAnswer(quake, { choices: { self: 'fine' } }, { partial: true })).toEqual({
      ok: false,
      problems: [{ field: 'self', code: 'unknown_option' }],
    });
    expect(validateAnswer(quake, { choices: { self: 'safe' } }).ok).toBe(false);
  });
});
