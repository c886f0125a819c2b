import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import expressLib, { type NextFunction, type Request, type Response } from 'express';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import type { AppConfig } from '#anpi/config';
import { Metrics } from '#anpi/metrics';
import { httpLogging } from '#anpi/observability';
import { httpMetrics } from './http/http-metrics.js';
import { API_DOCS_CSP, securityHeaders } from './http/security-headers.js';
import { mountQueueDashboard } from './ops/queue-dashboard.js';
import { answerClientErrorsAsJson } from './http/client-errors.js';
import { consoleStatic } from './http/console-static.js';
import { formBody } from './http/form-body.js';
import { jsonRequestBody, queryText } from './http/json-request-body.js';
import { buildOpenApiDocument } from './http/openapi.js';
import { REFRESH_COOKIE_PATH } from './http/refresh-cookie.js';
import { requestErrors } from './http/request-errors.js';
import { validationPipe } from './http/validation.js';

/** Everything about the HTTP app beyond its modules; shared by main.ts and the end-to-end tests. */
export function configureApi(app: INestApplication, config: AppConfig, accessLog: Logger): INestApplication {
  const express = app as NestExpressApplication;
  express.set('trust proxy', config.trustProxy);
  express.disable('x-powered-by');
  app.use(httpLogging(accessLog));
  app.use(httpMetrics(app.get(Metrics)));
  app.use(securityHeaders());
  app.use('/docs', (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', API_DOCS_CSP);
    next();
  });
  // The console (a built React app) and the one cookie it has: its session's refresh token.
  app.use('/console', consoleStatic(config.consoleDir));
  app.use(REFRESH_COOKIE_PATH, cookieParser());
  // LINE, LINE WORKS and SendGrid sign the exact bytes they send: their webhooks get them raw, before Nest's JSON parser.
  app.use('/line/webhook', expressLib.raw({ type: () => true, limit: '1mb' }));
  app.use('/lineworks/callback', expressLib.raw({ type: () => true, limit: '1mb' }));
  app.use('/email/events', expressLib.raw({ type: () => true, limit: '5mb' }));
  // Telegrams submitted by hand: the XML as text (JMA's largest are a few hundred kB).
  app.use('/v1/platform/telegrams', expressLib.text({ type: ['application/xml', 'text/xml'], limit: '4mb' }));
  // The pages' forms are flat (q.self=safe&k=…): Node's own parser (formBody), not qs's nested one.
  app.use(formBody());
  // JSON bodies and query strings: depth and text checked once, here, for every route.
  app.use(jsonRequestBody());
  app.use(queryText());
  mountQueueDashboard(app, config.platformApiKey);
  app.use(requestErrors());
  answerClientErrorsAsJson(app.getHttpServer());
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks();

  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  return app;
}
