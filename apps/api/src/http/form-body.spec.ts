import { parseForm } from './form-body.js';

describe('parseForm', () => {
  it('reads a flat form, decoding percent-escapes and + as space', () => {
    expect({ ...parseForm('q.self=safe&q.family=all_safe&message=%E7%84%A1%E4%BA%8B+%E3%81%A7%E3%81%99&k=abc-123') }).toEqual({
      'q.self': 'safe',
      'q.family': 'all_safe',
      message: '無事 です',
      k: 'abc-123',
    });
  });

  it('makes a repeated field an array, in order', () => {
    expect({ ...parseForm('a=1&a=2&a=3&b=') }).toEqual({ a: ['1', '2', '3'], b: '' });
  });

  it('keeps a field named __proto__ as data', () => {
    const fields = parseForm('__proto__=x&constructor=y')!;
    expect(fields['__proto__']).toBe('x');
    expect(Object.getPrototypeOf(fields)).toBeNull();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses more fields than the limit', () => {
    expect(parseForm('a=1&b=2&c=3', 2)).toBeNull();
    expect(parseForm('a=1&b=2', 2)).not.toBeNull();
  });
});
