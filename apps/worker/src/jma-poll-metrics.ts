import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '#anpi/config';
import { TelegramStore } from '#anpi/jma';
import { Metrics } from '#anpi/metrics';

/**
 * When JMA's feed was last polled by any worker (read from the database at each scrape), so an
 * alert can fire when automatic launch has gone deaf (0 before the first poll). Absent when polling is off (JMA_POLL_SECONDS=0).
 */
@Injectable()
export class JmaPollMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly store: TelegramStore,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.jma.pollSeconds <= 0) return;
    this.metrics.gauge('anpi_jma_last_poll_timestamp_seconds', 'Unix time of the last poll of the JMA feed, by any worker', [], async (set) => {
      const { polledAt } = await this.store.feedState('eqvol');
      if (polledAt) set({}, polledAt.getTime() / 1000);
    });
    this.metrics.gauge('anpi_jma_poll_interval_seconds', 'JMA_POLL_SECONDS: how often the feed should be polled', [], (set) =>
      set({}, this.config.jma.pollSeconds),
    );
  }
}
