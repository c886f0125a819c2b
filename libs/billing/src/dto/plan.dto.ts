import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import type { Channel, Plan } from '#anpi/db';
import { IsDisplayName } from '#anpi/validation';

const CHANNELS = ['line', 'email', 'sms', 'lineworks'] as const;
const IsYen = (field: string) =>
  applyDecorators(
    IsInt({ message: `${field} must be a whole number of yen` }),
    Min(0, { message: `${field} must not be negative` }),
    Max(100_000_000, { message: `${field} must be at most 100,000,000` }),
  );

export class CreatePlanDto {
  @ApiProperty({ example: 'pack-20000', description: 'Unique; lower-case letters, digits and "-"' })
  @Matches(/^[a-z0-9][a-z0-9-]{1,39}$/, { message: 'code must be 2-40 lower-case letters, digits or "-"' })
  code!: string;

  @ApiProperty({ example: 'メッセージパック 20,000通' })
  @IsDisplayName('name', { max: 100 })
  name!: string;

  @ApiProperty({ example: 10000 }) @IsYen('initialFee') initialFee!: number;
  @ApiProperty({ example: 15000 }) @IsYen('monthlyFee') monthlyFee!: number;

  @ApiProperty({ example: 20000 })
  @IsInt({ message: 'includedMessages must be a whole number' })
  @Min(0, { message: 'includedMessages must not be negative' })
  includedMessages!: number;

  @ApiProperty({ example: 4 }) @IsYen('overageUnitPrice') overageUnitPrice!: number;

  @ApiPropertyOptional({ enum: CHANNELS, isArray: true, default: ['line'] })
  @IsOptional()
  @IsArray({ message: 'countedChannels must be a list' })
  @ArrayMinSize(1, { message: 'countedChannels must name at least one channel' })
  @ArrayUnique({ message: 'countedChannels must not repeat a channel' })
  @IsIn(CHANNELS, { each: true, message: 'countedChannels may hold line, email, sms and lineworks' })
  countedChannels?: Channel[];

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Yen per SMS segment, on its own invoice line; omit when SMS is not priced' })
  @IsOptional()
  @IsInt({ message: 'smsSegmentPrice must be a whole number of yen' })
  @Min(0, { message: 'smsSegmentPrice must not be negative' })
  smsSegmentPrice?: number | null;

  @ApiPropertyOptional({ default: 10 })
  @IsOptional()
  @IsInt({ message: 'taxRatePercent must be a whole number' })
  @Min(0, { message: 'taxRatePercent must be between 0 and 100' })
  @Max(100, { message: 'taxRatePercent must be between 0 and 100' })
  taxRatePercent?: number;
}

/** Prices never change in place (past invoices must stay reproducible): only the name and whether it is offered. */
export class UpdatePlanDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsDisplayName('name', { max: 100 })
  name?: string;

  @ApiPropertyOptional({ description: 'Inactive plans cannot be given to tenants; tenants on them stay' })
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export class AssignPlanDto {
  @ApiProperty()
  @IsUUID('all', { message: 'planId must be a UUID' })
  planId!: string;
}

export class PlanView {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() initialFee!: number;
  @ApiProperty() monthlyFee!: number;
  @ApiProperty() includedMessages!: number;
  @ApiProperty() overageUnitPrice!: number;
  @ApiProperty({ enum: CHANNELS, isArray: true }) countedChannels!: string[];
  @ApiProperty({ type: Number, nullable: true }) smsSegmentPrice!: number | null;
  @ApiProperty() taxRatePercent!: number;
  @ApiProperty() active!: boolean;

  static from(p: Plan): PlanView {
    return {
      id: p.id,
      code: p.code,
      name: p.name,
      initialFee: p.initialFee,
      monthlyFee: p.monthlyFee,
      includedMessages: p.includedMessages,
      overageUnitPrice: p.overageUnitPrice,
      countedChannels: p.countedChannels,
      smsSegmentPrice: p.smsSegmentPrice,
      taxRatePercent: p.taxRatePercent,
      active: p.active,
    };
  }
}

export class PlanPeriodView {
  @ApiProperty({ example: '2026-12', description: 'First billing month (Asia/Tokyo) of this plan' }) from!: string;
  @ApiProperty({ type: PlanView }) plan!: PlanView;
}

export class TenantPlanView {
  @ApiProperty({ type: PlanPeriodView, nullable: true, description: 'The plan of the current month' }) current!: PlanPeriodView | null;
  @ApiProperty({ type: PlanPeriodView, nullable: true, description: 'A change taking effect on the first day of a later month' })
  scheduled!: PlanPeriodView | null;
}
