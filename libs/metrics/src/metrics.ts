import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics, one registry per Nest application (the tests run an api and
 * a worker in one process, each with its own). Labels stay low-cardinality: channels, states,
 * providers, queues, route templates — never tenant ids, tokens, addresses or answers.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  /** Every HTTP response the api serves, by route template (/a/:token, never the token). */
  readonly httpDuration = new Histogram({
    name: 'anpi_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** Answers by where they came from and what became of them (recorded, duplicate, invalid, closed, bad_link). */
  readonly answers = new Counter({
    name: 'anpi_answers_total',
    help: 'Answers submitted, by source and outcome',
    labelNames: ['source', 'outcome'] as const,
    registers: [this.registry],
  });

  /** Deliveries that left `pending`: sent (accepted by the provider) or failed, by channel and provider. */
  readonly deliveries = new Counter({
    name: 'anpi_deliveries_total',
    help: 'Deliveries settled, by channel, state (sent, failed) and provider',
    labelNames: ['channel', 'state', 'provider'] as const,
    registers: [this.registry],
  });

  /** Provider requests that did not go through: transient errors (retried) and throttling (waited out). */
  readonly providerErrors = new Counter({
    name: 'anpi_provider_errors_total',
    help: 'Provider failures of send jobs, by channel and kind (transient, throttled, permanent)',
    labelNames: ['channel', 'kind'] as const,
    registers: [this.registry],
  });

  readonly throttleWaits = new Counter({
    name: 'anpi_provider_throttle_wait_seconds_total',
    help: 'Time send jobs were put back to wait because a provider asked (429, Retry-After, rate-limit headers)',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  /** Email moving to the secondary provider (failover) or back (recovered), once per broadcast and change. */
  readonly emailFailovers = new Counter({
    name: 'anpi_email_failovers_total',
    help: 'Broadcasts whose email moved between providers, by kind (failover, recovered) and providers',
    labelNames: ['kind', 'from', 'to'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'anpi_job_duration_seconds',
    help: 'BullMQ job run time, by queue, job name and outcome (ok, error, delayed)',
    labelNames: ['queue', 'job', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  /** From the first change a refresh covers (an answer, a delivery) to the new tally being published. */
  readonly tallyLag = new Histogram({
    name: 'anpi_tally_refresh_lag_seconds',
    help: 'From a change to the published tally that includes it',
    buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });

  /** Each poll of each JMA feed: changed, unchanged (304) or failed. */
  readonly jmaPolls = new Counter({
    name: 'anpi_jma_feed_polls_total',
    help: 'Polls of the JMA Atom feeds, by feed and result (changed, unchanged, failed)',
    labelNames: ['feed', 'result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'anpi_' });
  }

  /** A gauge whose value is read when Prometheus scrapes (queue depths, the database pool). */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    collect: (set: (labels: Record<L, string>, value: number) => void) => Promise<void> | void,
  ): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        await collect((labels, value) => this.set(labels as never, value));
      },
    });
  }
}
