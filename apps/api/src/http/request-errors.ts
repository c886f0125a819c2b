import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import type { TextProblem } from '#anpi/validation';

/** An error raised while reading a request, before any controller: answered as JSON by `requestErrors`. */
export class RequestError extends Error {
  readonly expose = true;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: { field: string; reason: string }[],
  ) {
    super(message);
  }
}

export function invalidText(problem: TextProblem): RequestError {
  return new RequestError(400, 'invalid_text', `Validation failed: ${problem.reason}`, [problem]);
}

/** body-parser's error types as our codes. */
const CODES: Record<string, string> = {
  'entity.too.large': 'payload_too_large',
  'parameters.too.many': 'payload_too_large',
  'entity.parse.failed': 'json_malformed',
  'charset.unsupported': 'unsupported_charset',
  'encoding.unsupported': 'unsupported_encoding',
  'request.aborted': 'request_aborted',
  'request.size.invalid': 'bad_request',
};

/**
 * Errors from the body parsers and input checks (which run as Express middleware, outside Nest's
 * exception filters) answered in the API's error shape instead of Express's HTML page.
 */
export function requestErrors(): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    const err = error as {
      status?: number;
      statusCode?: number;
      expose?: boolean;
      message?: string;
      type?: string;
      code?: string;
      errors?: unknown;
      limit?: number;
    };
    const status = err.status ?? err.statusCode;
    if (typeof status !== 'number' || status < 400 || status >= 500 || res.headersSent) return next(error);
    const message =
      err.type === 'entity.too.large' && typeof err.limit === 'number'
        ? `The body is larger than the limit of ${err.limit} bytes`
        : err.expose
          ? (err.message ?? '')
          : (STATUS_CODES[status] ?? 'Bad Request');
    const code = error instanceof RequestError ? error.code : (CODES[err.type ?? ''] ?? 'bad_request');
    res.status(status).json({ statusCode: status, error: STATUS_CODES[status], code, message, ...(err.errors ? { errors: err.errors } : {}) });
  };
}
