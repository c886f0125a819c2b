import type { Channel } from '#anpi/db';

/** What a month's ledger holds for one channel, alerts or drills. */
export interface UsageRow {
  channel: Channel;
  drill: boolean;
  /** Deliveries sent. */
  messages: number;
  /** Billable units: LINE messages, SMS segments, emails. */
  units: number;
}
