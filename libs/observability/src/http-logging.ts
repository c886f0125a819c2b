import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { RequestContext, type LogContext } from './request-context.js';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Paths that carry a secret (answer tokens, link tokens) are logged with the secret replaced, and
 * query strings are dropped: they may hold tokens too.
 */
export function loggableUrl(url: string | undefined): string {
  const path = (url ?? '').split('?')[0] ?? '';
  return path.replace(/^\/(a|l\/i|l|i)\/[^/]+/, '/$1/[token]');
}

/**
 * One JSON line per request with its id, status and duration; never headers or bodies. `logger`
 * should be created with `withContext: false`: this adds the request's ids itself.
 */
export function httpLogging(logger: Logger) {
  const http = pinoHttp({
    logger,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ method: req.method, url: loggableUrl(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customProps: (req: IncomingMessage) => {
      const { requestId: _, ...context } = (req as IncomingMessage & { logContext?: LogContext }).logContext ?? {};
      return context;
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
  });
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    http(req, res);
    const requestId = String((req as IncomingMessage & { id?: unknown }).id);
    const logContext: LogContext = { requestId };
    (req as IncomingMessage & { logContext?: LogContext }).logContext = logContext;
    RequestContext.run(logContext, next);
  };
}
