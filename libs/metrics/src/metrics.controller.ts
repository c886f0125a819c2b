import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '#anpi/accounts';
import { AppConfig } from '#anpi/config';
import { NotFoundError, UnauthorizedError } from '#anpi/errors';
import { hasMetricsToken } from './metrics-token.js';
import { Metrics } from './metrics.js';

/**
 * GET /metrics in Prometheus' text format, on the api and on the worker's health port. Off
 * unless METRICS_TOKEN is set, and then only with it as a bearer token: the public routes never
 * show it. Nothing in it names a tenant or a person.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    if (!this.config.metricsToken) throw new NotFoundError('Metrics are off: set METRICS_TOKEN to serve them');
    if (!hasMetricsToken(authorization, this.config.metricsToken)) throw new UnauthorizedError('Metrics need Authorization: Bearer <METRICS_TOKEN>');
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(await this.metrics.registry.metrics());
  }
}
