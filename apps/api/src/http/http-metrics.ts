import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from '#anpi/metrics';

/**
 * Times every response by its route template as Express matched it (/a/:token, /v1/broadcasts/:id:
 * never the token or the id). What no route matched is one label: the console's files, and 404s.
 */
export function httpMetrics(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const template = (req.route as { path?: string } | undefined)?.path;
      const route = typeof template === 'string' ? template : req.originalUrl.startsWith('/console') ? '/console' : 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
    });
    next();
  };
}
