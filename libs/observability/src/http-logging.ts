import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { RequestContext, type LogContext } from './request-context.js';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Paths that carry a secret (answer tokens, link tokens) are logged with the secret replaced, and
 * query strings are dropped: they may hold tokens too.
 */
export function loggableUrl(url: string | undefined): string {
  const path = (url ?? '').split('?')[0] ?? '';
  return path.replace(/^\/(a|s|l\/i|l|i)\/[^/]+/, '/$1/[token]');
}

/**
 * One JSON line per request with its id, status and duration; never headers or bodies. `logger`
 * should be created with `withContext: false`: this adds the request's ids itself. Written here
 * rather than with pino-http, which made a child logger (and serialised its bindings) for every
 * request whether or not its line was written: a sixth of a trivial request's CPU.
 */
export function httpLogging(logger: Logger) {
  return (req: IncomingMessage & { originalUrl?: string; logContext?: LogContext }, res: ServerResponse, next: () => void) => {
    const started = performance.now();
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const logContext: LogContext = { requestId };
    req.logContext = logContext;
    if (req.url !== '/healthz' && req.url !== '/readyz') {
      res.once('close', () => {
        // 'close' without 'finish': the client went away before the response was sent. That is
        // normal (a dashboard closing its live tally stream, a phone losing signal): info, not error.
        const finished = res.writableFinished;
        const level = finished && res.statusCode >= 500 ? 'error' : finished && res.statusCode >= 400 ? 'warn' : 'info';
        if (!logger.isLevelEnabled(level)) return;
        const { requestId: _, ...context } = logContext;
        logger[level](
          {
            requestId,
            ...context,
            req: { method: req.method, url: loggableUrl(req.originalUrl ?? req.url) },
            res: { statusCode: res.statusCode },
            responseTime: Math.round(performance.now() - started),
          },
          finished ? 'request completed' : 'request aborted',
        );
      });
    }
    RequestContext.run(logContext, next);
  };
}
