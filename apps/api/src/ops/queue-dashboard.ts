import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplication } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response, Router } from 'express';
import { ALL_QUEUES } from '#anpi/queue';
import { PlatformKey } from '../http/platform-key.js';
import { RequestError } from '../http/request-errors.js';
import { redactFailure, redactJobData, redactReturnValue } from './job-redaction.js';

export const QUEUE_DASHBOARD_PATH = '/ops/queues';

/** bull-board's page: its own scripts and styles (some inline), nothing from elsewhere (its web font falls back). */
const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * What the operator may change from the board: retry failed jobs, promote delayed ones, pause and
 * resume a queue. Adding jobs, editing their data, emptying or obliterating a queue are refused:
 * those belong to the product's own paths, not to a dashboard.
 */
const ALLOWED_CHANGES = [/\/retry(\/[a-z]+)?$/, /\/promote$/, /^\/api\/queues\/(pause|resume)$/, /^\/api\/queues\/[^/]+\/(pause|resume)$/];

/**
 * The queue dashboard at /ops/queues for the platform operator: every queue, jobs by state, with
 * payloads reduced to ids and counters (job-redaction.ts). The platform operator key opens it, as
 * a bearer token or as the password of HTTP Basic (so a browser can ask for it).
 */
export function mountQueueDashboard(app: INestApplication, platformApiKey: string): void {
  const board = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: ALL_QUEUES.map((name) => {
      const adapter = new BullMQAdapter(app.get<Queue>(getQueueToken(name), { strict: false }), { allowRetries: true });
      adapter.setFormatter('data', redactJobData);
      adapter.setFormatter('returnValue', redactReturnValue);
      return adapter;
    }),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'anpi queues' } },
  });
  app.use(QUEUE_DASHBOARD_PATH, operatorOnly(new PlatformKey(platformApiKey)), readMostly, failuresRedacted, board.getRouter() as Router);
}

function operatorOnly(key: PlatformKey) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    res.setHeader('Cache-Control', 'no-store');
    if (key.matches(credentialOf(req.headers.authorization))) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="anpi operations", charset="UTF-8"');
    next(new RequestError(401, 'platform_key_required', 'The queue dashboard needs the platform operator key (Bearer, or the password of Basic)'));
  };
}

function readMostly(req: Request, _res: Response, next: NextFunction): void {
  if (req.method === 'GET' || req.method === 'HEAD' || ALLOWED_CHANGES.some((allowed) => allowed.test(req.path))) return next();
  next(new RequestError(403, 'operation_not_allowed', 'The queue dashboard may retry, promote, pause and resume jobs; nothing else'));
}

/** Failure messages and stack traces pass through redactFailure on their way out. */
function failuresRedacted(_req: Request, res: Response, next: NextFunction): void {
  const json = res.json.bind(res);
  res.json = (body: unknown) => json(scrub(body));
  next();
}

function scrub(value: unknown, key?: string): unknown {
  if (typeof value === 'string') return key === 'failedReason' || key === 'stacktrace' ? redactFailure(value) : value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, key));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, k)]));
  return value;
}

function credentialOf(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1]!;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : null;
}
