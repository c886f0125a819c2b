import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsDisplayName } from '#anpi/validation';
import { FreeTextDto, QuestionDto } from './question.dto.js';

export const CHANNELS = ['line', 'email', 'sms', 'lineworks'] as const;
const DETAIL = ['title_only', 'full'] as const;

export class NotificationDetailDto {
  @ApiPropertyOptional({ enum: DETAIL, default: 'title_only' })
  @IsOptional()
  @IsIn(DETAIL, { message: 'notificationDetail.line must be title_only or full' })
  line?: (typeof DETAIL)[number];

  @ApiPropertyOptional({ enum: DETAIL, default: 'full' })
  @IsOptional()
  @IsIn(DETAIL, { message: 'notificationDetail.email must be title_only or full' })
  email?: (typeof DETAIL)[number];

  @ApiPropertyOptional({ enum: DETAIL, default: 'title_only' })
  @IsOptional()
  @IsIn(DETAIL, { message: 'notificationDetail.sms must be title_only or full' })
  sms?: (typeof DETAIL)[number];

  @ApiPropertyOptional({ enum: DETAIL, default: 'title_only' })
  @IsOptional()
  @IsIn(DETAIL, { message: 'notificationDetail.lineworks must be title_only or full' })
  lineworks?: (typeof DETAIL)[number];
}

export class ReminderDto {
  @ApiProperty({ minimum: 1, maximum: 1440, example: 30, description: 'Re-send to those who have not answered every N minutes' })
  @IsInt()
  @Min(1)
  @Max(1440)
  intervalMinutes!: number;

  @ApiProperty({ minimum: 1, maximum: 10, example: 3 })
  @IsInt()
  @Min(1)
  @Max(10)
  maxReminders!: number;
}

export class EscalationDto {
  @ApiProperty({
    enum: CHANNELS,
    isArray: true,
    example: ['line', 'email', 'sms'],
    description: 'First channel at once; the next after afterMinutes without an answer (at once for those the first cannot reach)',
  })
  @IsArray()
  @ArrayMinSize(2, { message: 'escalation.order needs at least two channels' })
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true, message: 'each escalation.order entry must be line, email, sms or lineworks' })
  order!: (typeof CHANNELS)[number][];

  @ApiProperty({ minimum: 1, maximum: 1440, example: 15 })
  @IsInt()
  @Min(1)
  @Max(1440)
  afterMinutes!: number;
}

/** The content of an alert, shared by templates and ad-hoc launches. */
export class AlertContentDto {
  @ApiProperty({ example: '地震発生 安否確認' })
  @IsDisplayName('title', { max: 80 })
  title!: string;

  @ApiProperty({ description: 'Placeholders: {{name}}, {{department}}', example: '{{name}} さん\n地震が発生しました。安否を回答してください。' })
  @IsString()
  @MinLength(1, { message: 'body must not be empty' })
  @MaxLength(2000)
  body!: string;

  @ApiProperty({ type: [QuestionDto] })
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => QuestionDto)
  questions!: QuestionDto[];

  @ApiPropertyOptional({ type: FreeTextDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => FreeTextDto)
  freeText?: FreeTextDto | null;

  @ApiProperty({ enum: CHANNELS, isArray: true, example: ['line', 'email', 'sms'] })
  @IsArray()
  @ArrayMinSize(1, { message: 'channels must name at least one channel' })
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true, message: 'each channel must be line, email, sms or lineworks' })
  channels!: (typeof CHANNELS)[number][];

  @ApiPropertyOptional({ type: NotificationDetailDto, description: 'Per channel: title_only (default for LINE and SMS: lock screens show previews) or full' })
  @IsOptional()
  @ValidateNested()
  @Type(() => NotificationDetailDto)
  notificationDetail?: NotificationDetailDto;

  @ApiPropertyOptional({ type: ReminderDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReminderDto)
  reminder?: ReminderDto | null;

  @ApiPropertyOptional({ type: EscalationDto, nullable: true, description: 'Instead of every channel at once' })
  @IsOptional()
  @ValidateNested()
  @Type(() => EscalationDto)
  escalation?: EscalationDto | null;
}

export class CreateTemplateDto extends AlertContentDto {
  @ApiProperty({ example: '本社 地震' })
  @IsDisplayName('name', { max: 80 })
  name!: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  drill?: boolean;

  @ApiPropertyOptional({
    default: true,
    description: 'LINE messages carry a one-tap 「無事です」 quick reply that records 本人 = 無事 (needs a question "self" with option "safe")',
  })
  @IsOptional()
  @IsBoolean({ message: 'lineQuickAnswer must be true or false' })
  lineQuickAnswer?: boolean;
}

export class UpdateTemplateDto extends PartialType(CreateTemplateDto) {}

export class TemplateView {
  @ApiProperty({ description: 'A UUID, or preset:<key> for the shipped presets' }) id!: string;
  @ApiProperty() preset!: boolean;
  @ApiProperty() name!: string;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ type: [QuestionDto] }) questions!: QuestionDto[];
  @ApiProperty({ type: FreeTextDto, nullable: true }) freeText!: FreeTextDto | null;
  @ApiProperty({ enum: CHANNELS, isArray: true }) channels!: string[];
  @ApiProperty({ type: NotificationDetailDto }) notificationDetail!: Record<string, string>;
  @ApiProperty() drill!: boolean;
  @ApiProperty() lineQuickAnswer!: boolean;
  @ApiProperty({ type: ReminderDto, nullable: true }) reminder!: ReminderDto | null;
  @ApiProperty({ type: EscalationDto, nullable: true }) escalation!: EscalationDto | null;
}
