import { Injectable } from '@nestjs/common';
import type { Channel, TenantId, Tx } from '#anpi/db';
import { monthRange } from '../billing-month.js';
import type { UsageRow } from './usage-row.js';

/** Reads a month of the usage ledger (one row per sent delivery), inside the tenant's unit of work. */
@Injectable()
export class UsageMeter {
  async month(tx: Tx, tenantId: TenantId, month: string): Promise<UsageRow[]> {
    const { start, end } = monthRange(month);
    const rows = await tx.$queryRaw<{ channel: Channel; drill: boolean; messages: number; units: number }[]>`
      SELECT channel, drill, count(*)::int AS messages, coalesce(sum(units), 0)::int AS units
      FROM usage_ledger
      WHERE tenant_id = ${tenantId}::uuid AND occurred_at >= ${start} AND occurred_at < ${end}
      GROUP BY channel, drill
      ORDER BY array_position(ARRAY['line', 'lineworks', 'email', 'sms']::"Channel"[], channel), drill`;
    return rows;
  }

  /** Units of the given channels in the month (what counts against a pack). */
  async units(tx: Tx, tenantId: TenantId, month: string, channels: readonly string[]): Promise<number> {
    const rows = await this.month(tx, tenantId, month);
    return rows.filter((r) => channels.includes(r.channel)).reduce((a, r) => a + r.units, 0);
  }
}
