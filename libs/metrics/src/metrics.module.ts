import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { Metrics } from './metrics.js';
import { PoolMetrics } from './pool-metrics.js';

/** One registry per application; every lib that counts something injects Metrics. */
@Global()
@Module({ controllers: [MetricsController], providers: [Metrics, PoolMetrics], exports: [Metrics] })
export class MetricsModule {}
