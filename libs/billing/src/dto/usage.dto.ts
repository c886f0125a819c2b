import { ApiProperty } from '@nestjs/swagger';
import { InvoiceUsageView, TenantMonthQuery } from './invoice.dto.js';

export class UsageQuery extends TenantMonthQuery {}

export class UsageView {
  @ApiProperty({ example: '2026-11' }) month!: string;
  @ApiProperty({ description: 'false while the month is still running' }) final!: boolean;
  @ApiProperty({ type: Object, nullable: true, description: 'The plan the month is billed on' }) plan!: {
    code: string;
    name: string;
    includedMessages: number;
    overageUnitPrice: number;
    countedChannels: string[];
  } | null;
  @ApiProperty({ description: 'Units so far counted against the pack (alerts and drills)' }) countedUnits!: number;
  @ApiProperty() alertUnits!: number;
  @ApiProperty() drillUnits!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'countedUnits as a percentage of the pack' }) percentUsed!: number | null;
  @ApiProperty({ type: [InvoiceUsageView] }) byChannel!: InvoiceUsageView[];
  @ApiProperty({ description: 'Share of the month passed (0..1)' }) elapsed!: number;
  @ApiProperty({ description: 'countedUnits at the current pace by the end of the month' }) projectedUnits!: number;
  @ApiProperty() projectedOverageUnits!: number;
  @ApiProperty({ description: 'Yen, before tax' }) projectedOverageYen!: number;
}
