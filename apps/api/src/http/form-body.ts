import expressLib, { type RequestHandler } from 'express';
import { findTextProblem } from '#anpi/validation';
import { invalidText, RequestError } from './request-errors.js';

/** Fields a form body may hold; the pages' forms send a dozen. */
export const FORM_FIELD_LIMIT = 1_000;

export type FormFields = Record<string, string | string[]>;

/**
 * The fields of a flat form body (q.self=safe&k=…) by Node's URLSearchParams; a repeated field
 * becomes an array. Null when the body holds more than `limit` fields. The object has no
 * prototype, so a field named __proto__ is just a field.
 */
export function parseForm(body: string, limit = FORM_FIELD_LIMIT): FormFields | null {
  const fields: FormFields = Object.create(null);
  let count = 0;
  for (const [name, value] of new URLSearchParams(body)) {
    if (++count > limit) return null;
    const earlier = fields[name];
    fields[name] = earlier === undefined ? value : Array.isArray(earlier) ? [...earlier, value] : [earlier, value];
  }
  return fields;
}

/**
 * Parses application/x-www-form-urlencoded bodies (the answer page and the LINE link page). Not
 * body-parser's urlencoded parser: it runs the `qs` library even with `extended: false`, and on
 * the answer route, thousands of requests a second on the worst day, qs was the largest part of
 * the parsing. Reading the body (size limit, charset, aborted requests) stays body-parser's.
 */
export function formBody(options: { limit: string } = { limit: '100kb' }): RequestHandler {
  const read = expressLib.text({ type: 'application/x-www-form-urlencoded', limit: options.limit });
  return (req, res, next) =>
    read(req, res, (error?: unknown) => {
      if (error) return next(error);
      // Another route's text parser (the telegrams' XML) may have read the body already: forms only here.
      if (typeof req.body !== 'string' || !req.is('application/x-www-form-urlencoded')) return next();
      const fields = parseForm(req.body);
      if (!fields) return next(new RequestError(413, 'payload_too_large', `too many form fields (at most ${FORM_FIELD_LIMIT})`));
      const problem = findTextProblem(fields);
      if (problem) return next(invalidText(problem));
      req.body = fields;
      next();
    });
}
