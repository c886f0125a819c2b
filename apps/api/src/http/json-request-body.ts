import expressLib, { type RequestHandler } from 'express';
import { findTextProblem } from '#anpi/validation';
import { invalidText, RequestError } from './request-errors.js';

/** Deeper than any body the API takes (a template's questions are four levels down). */
export const JSON_MAX_DEPTH = 64;

/** Whether `text` opens more than `max` arrays or objects at once, strings skipped. One pass, no recursion. */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * Parses JSON request bodies in place of body-parser's parser: the depth is checked before
 * JSON.parse (a body nested 10,000 levels deep overflowed the stack of the validation that walks
 * it), and every string and key passes the one text check (NUL, lone surrogates, __proto__,
 * constructor) before a handler sees it. Reading the body (size limit, charset) stays body-parser's.
 */
export function jsonRequestBody(options: { limit: string } = { limit: '100kb' }): RequestHandler {
  const read = expressLib.text({ type: ['application/json', 'application/*+json'], limit: options.limit });
  return (req, res, next) =>
    read(req, res, (error?: unknown) => {
      if (error) return next(error);
      // Another route's text parser (the telegrams' XML) may have read the body already: JSON only here.
      if (typeof req.body !== 'string' || !req.is(['application/json', 'application/*+json'])) return next();
      const text = req.body;
      if (text.trim() === '') {
        req.body = {};
        return next();
      }
      if (!/^\s*[[{]/.test(text)) return next(new RequestError(400, 'json_malformed', 'The body must be a JSON object or array'));
      if (jsonDepthExceeds(text, JSON_MAX_DEPTH))
        return next(new RequestError(400, 'json_too_deep', `The JSON body is nested deeper than ${JSON_MAX_DEPTH} levels`));
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (parseError) {
        return next(new RequestError(400, 'json_malformed', `The body is not valid JSON: ${(parseError as Error).message}`));
      }
      const problem = findTextProblem(parsed);
      if (problem) return next(invalidText(problem));
      req.body = parsed;
      next();
    });
}

/** Query strings pass the same text check (a NUL in ?q= reached PostgreSQL). */
export function queryText(): RequestHandler {
  return (req, _res, next) => {
    const problem = req.url.includes('?') ? findTextProblem(req.query) : null;
    next(problem ? invalidText(problem) : undefined);
  };
}
