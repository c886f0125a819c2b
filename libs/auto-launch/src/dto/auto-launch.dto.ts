import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '#anpi/validation';

export const AUTO_LAUNCH_STATES = ['launched', 'cancelled', 'suppressed'] as const;

export class ListAutoLaunchesQuery extends PageQuery(200, 50) {
  @ApiPropertyOptional({ enum: [...AUTO_LAUNCH_STATES, 'pending'], description: 'pending: launched but still in its hold' })
  @IsOptional()
  @IsIn([...AUTO_LAUNCH_STATES, 'pending'], { message: 'state must be pending, launched, cancelled or suppressed' })
  state?: (typeof AUTO_LAUNCH_STATES)[number] | 'pending';
}

export class AutoLaunchView {
  @ApiProperty() id!: string;
  @ApiProperty({ description: "JMA's EventID (drill: prefix for 訓練 telegrams)" }) eventKey!: string;
  @ApiProperty({ enum: ['earthquake', 'tsunami', 'special_warning'] }) kind!: string;
  @ApiProperty() drill!: boolean;
  @ApiProperty({ enum: AUTO_LAUNCH_STATES }) state!: string;
  @ApiProperty({ description: 'Launched, but nothing sent yet: an admin can still cancel it' }) pending!: boolean;
  @ApiProperty({ type: Number, description: 'Seconds left in the hold (0 once sent)' }) holdSecondsLeft!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was suppressed or cancelled' }) reason!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty({ type: String, nullable: true }) broadcastId!: string | null;
  @ApiProperty({ type: [String] }) ruleIds!: string[];
  @ApiProperty({ type: [String] }) telegramIds!: string[];
  @ApiProperty({ type: [Number], description: 'Prefectures targeted so far (JIS X 0401)' }) prefectures!: number[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'Level sent per prefecture (intensity 1–9 = 震度1…7; tsunami 1–3)' })
  levels!: Record<string, number>;
  @ApiProperty({ type: String, format: 'date-time' }) launchAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
}

export class AutoLaunchPage {
  @ApiProperty({ type: [AutoLaunchView] }) items!: AutoLaunchView[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
