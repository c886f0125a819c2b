/**
 * Text that PostgreSQL and every later reader can hold. PostgreSQL refuses NUL in text (a 500 if
 * it gets that far), and a lone UTF-16 surrogate is not a character: it cannot be encoded as
 * UTF-8, so it turns into garbage or an error wherever it goes next. Every text input (JSON
 * bodies, query strings, forms, CSV cells) is checked here, once, before any handler runs.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSAFE = /[\u0000\ud800-\udfff]/;

/** Why `text` cannot be stored, or null when it can. */
export function unsafeTextReason(text: string): string | null {
  if (!UNSAFE.test(text)) return null;
  if (text.includes('\u0000')) return 'must not contain a NUL character (\\u0000)';
  // Surrogates in proper pairs are characters outside the BMP (emoji, rare kanji): fine.
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return 'must not contain a lone UTF-16 surrogate (not a character)';
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) return 'must not contain a lone UTF-16 surrogate (not a character)';
  }
  return null;
}

/** Keys that would reach an object's prototype machinery; refused like any other unknown field. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface TextProblem {
  field: string;
  reason: string;
}

/**
 * The first problem in a parsed value (a JSON body, a query object, form fields): unsafe text in a
 * string or a key, or a forbidden key. `field` is the path as the client wrote it
 * (`questions[0].label`). Walks without recursion, so any depth the parser allowed is safe here.
 */
export function findTextProblem(value: unknown, root = ''): TextProblem | null {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      const reason = unsafeTextReason(current);
      if (reason) return { field: path || '(body)', reason: `${path || 'the body'} ${reason}` };
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([current[i], `${path}[${i}]`]);
    } else if (current !== null && typeof current === 'object') {
      const keys = Object.keys(current);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const field = path ? `${path}.${key}` : key;
        if (FORBIDDEN_KEYS.has(key)) return { field, reason: `property ${key} should not exist` };
        const keyReason = unsafeTextReason(key);
        if (keyReason) return { field: path || '(body)', reason: `a field name ${keyReason}` };
        stack.push([(current as Record<string, unknown>)[key], field]);
      }
    }
  }
  return null;
}
