import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import type { LineReconciliation } from '#anpi/db';
import { queryFlag } from '#anpi/validation';
import { monthOfFirstDay } from '../billing-month.js';
import { TenantMonthQuery } from './invoice.dto.js';

export class ReconciliationQuery extends TenantMonthQuery {
  @ApiPropertyOptional({ description: 'Only checks where LINE and the ledger disagree' })
  @IsOptional()
  @Transform(queryFlag)
  @IsBoolean({ message: 'mismatchOnly must be true or false' })
  mismatchOnly?: boolean;
}

export class ReconciliationView {
  @ApiProperty() tenantId!: string;
  @ApiProperty({ example: '2026-11' }) month!: string;
  @ApiProperty({ description: "The tenant's own LINE channel id" }) channelId!: string;
  @ApiProperty({ description: "LINE's figure (GET /v2/bot/message/quota/consumption)" }) lineUnits!: number;
  @ApiProperty({ description: "LINE units in anpi's usage ledger for the month" }) ledgerUnits!: number;
  @ApiProperty({ description: 'lineUnits − ledgerUnits' }) difference!: number;
  @ApiProperty() matches!: boolean;
  @ApiProperty() checkedAt!: string;

  static from(r: LineReconciliation): ReconciliationView {
    return {
      tenantId: r.tenantId,
      month: monthOfFirstDay(r.month),
      channelId: r.channelId,
      lineUnits: r.lineUnits,
      ledgerUnits: r.ledgerUnits,
      difference: r.lineUnits - r.ledgerUnits,
      matches: r.lineUnits === r.ledgerUnits,
      checkedAt: r.checkedAt.toISOString(),
    };
  }
}
