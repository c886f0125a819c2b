import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  Equals,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsDisplayName, PageQuery } from '#anpi/validation';
import { FreeTextDto, QuestionDto } from './question.dto.js';
import { CHANNELS, EscalationDto, NotificationDetailDto, ReminderDto } from './template.dto.js';

export class TargetsDto {
  @ApiPropertyOptional({ description: 'The whole company (active employees)' })
  @IsOptional()
  @Equals(true, { message: 'targets.all can only be true' })
  all?: true;

  @ApiPropertyOptional({ type: [String], description: 'These departments and everything under them' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each targets.departmentIds entry must be a department id' })
  departmentIds?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each targets.employeeIds entry must be an employee id' })
  employeeIds?: string[];
}

/** A template (and overrides), or ad-hoc content; plus whom to alert. */
export class LaunchBroadcastDto {
  @ApiPropertyOptional({ description: 'A template id, or preset:earthquake / preset:storm / preset:drill' })
  @IsOptional()
  @Matches(/^(preset:[a-z]+|[0-9a-fA-F-]{36})$/, { message: 'templateId must be a template id or preset:<name>' })
  templateId?: string;

  @ApiPropertyOptional({ description: 'Required without a template' })
  @IsOptional()
  @IsDisplayName('title', { max: 80 })
  title?: string;

  @ApiPropertyOptional({ description: 'Required without a template. Placeholders: {{name}}, {{department}}' })
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'body must not be empty' })
  @MaxLength(2000)
  body?: string;

  @ApiPropertyOptional({ type: [QuestionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => QuestionDto)
  questions?: QuestionDto[];

  @ApiPropertyOptional({ type: FreeTextDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => FreeTextDto)
  freeText?: FreeTextDto | null;

  @ApiPropertyOptional({ enum: CHANNELS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'channels must name at least one channel' })
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true, message: 'each channel must be line, email, sms or lineworks' })
  channels?: (typeof CHANNELS)[number][];

  @ApiPropertyOptional({ type: NotificationDetailDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => NotificationDetailDto)
  notificationDetail?: NotificationDetailDto;

  @ApiPropertyOptional({ type: ReminderDto, nullable: true, description: "Default: the template's" })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReminderDto)
  reminder?: ReminderDto | null;

  @ApiPropertyOptional({ type: EscalationDto, nullable: true, description: "Default: the template's" })
  @IsOptional()
  @ValidateNested()
  @Type(() => EscalationDto)
  escalation?: EscalationDto | null;

  @ApiProperty({ type: TargetsDto, description: 'Exactly one of all, departmentIds, employeeIds' })
  @IsDefined({ message: 'targets is required: { all: true }, { departmentIds: [...] } or { employeeIds: [...] }' })
  @IsObject({ message: 'targets must be an object' })
  @ValidateNested()
  @Type(() => TargetsDto)
  targets!: TargetsDto;

  @ApiPropertyOptional({ description: "A drill: titles get 【訓練】, and it is marked as a drill everywhere. Default: the template's" })
  @IsOptional()
  @IsBoolean({ message: 'drill must be true or false' })
  drill?: boolean;

  @ApiPropertyOptional({
    description:
      'LINE messages carry a one-tap 「無事です」 quick reply that records 本人 = 無事 (needs a question "self" with option "safe"). Default: the template\'s',
  })
  @IsOptional()
  @IsBoolean({ message: 'lineQuickAnswer must be true or false' })
  lineQuickAnswer?: boolean;
}

export class ListBroadcastsQuery extends PageQuery(100, 20) {}

export class ListDeliveriesQuery extends ListBroadcastsQuery {
  @ApiPropertyOptional({ enum: ['pending', 'sent', 'failed', 'skipped', 'cancelled'] })
  @IsOptional()
  @IsIn(['pending', 'sent', 'failed', 'skipped', 'cancelled'], { message: 'state must be pending, sent, failed, skipped or cancelled' })
  state?: 'pending' | 'sent' | 'failed' | 'skipped' | 'cancelled';

  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS, { message: 'channel must be line, email, sms or lineworks' })
  channel?: (typeof CHANNELS)[number];
}

export class AreaTargetsView {
  @ApiPropertyOptional({ type: [Number], description: 'Work prefectures (JIS X 0401); an employee without one works where their department is' })
  work?: number[];
  @ApiPropertyOptional({ type: [Number], description: 'Home prefectures (JIS X 0401)' }) home?: number[];
}

export class BroadcastSourceView {
  @ApiProperty({ enum: ['jma'] }) type!: string;
  @ApiProperty({ description: 'The telegram that launched it (GET /v1/platform/telegrams for the operator)' }) telegramId!: string;
  @ApiProperty() entryId!: string;
  @ApiProperty({ description: "JMA's EventID of the quake" }) eventId!: string;
  @ApiProperty({ type: [String], description: 'The automatic-launch rules that matched' }) ruleIds!: string[];
}

export class TargetsView extends TargetsDto {
  @ApiPropertyOptional({ type: AreaTargetsView, description: 'Automatic launches: who was where' }) areas?: AreaTargetsView;
  @ApiPropertyOptional({ description: 'Department heads: targeted departments outside their subtrees (not named)' }) otherDepartments?: number;
  @ApiPropertyOptional({ description: 'Department heads: targeted employees outside their subtrees (not named)' }) otherEmployees?: number;
}

export class StateCounts {
  @ApiProperty() pending!: number;
  @ApiProperty() sent!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() skipped!: number;
  @ApiProperty() cancelled!: number;
}

export class EmailProviderNoteView {
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
  @ApiProperty({ enum: ['failover', 'recovered'] }) kind!: string;
  @ApiProperty({ enum: ['sendgrid', 'smtp'] }) from!: string;
  @ApiProperty({ enum: ['sendgrid', 'smtp'] }) to!: string;
  @ApiProperty({ type: String, nullable: true, description: "The primary's failure that caused the failover" }) reason!: string | null;
}

export class LineWorksProgressView {
  @ApiProperty({ description: 'LINE WORKS messages still to send' }) pending!: number;
  @ApiProperty({ description: "The tenant's LINE WORKS rate (message requests a minute)" }) ratePerMinute!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the pending ones should all be sent, at that rate' })
  expectedDoneAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the last one was accepted so far' }) lastSentAt!: Date | null;
}

export class BroadcastView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['queued', 'sending', 'completed', 'cancelled', 'closed'], description: 'closed: answers are no longer taken (see closedAt)' })
  status!: string;
  @ApiProperty() drill!: boolean;
  @ApiProperty() lineQuickAnswer!: boolean;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'As recipients see it: 【訓練】 first for drills' }) displayTitle!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ type: [QuestionDto], description: 'The questions asked, with their options (labels for the tally and proxy answers)' })
  questions!: QuestionDto[];
  @ApiProperty({ enum: CHANNELS, isArray: true }) channels!: string[];
  @ApiProperty({ type: () => TargetsView, description: 'For department heads: only their own departments and employees, the rest counted' }) targets!: unknown;
  @ApiProperty({ type: String, nullable: true }) templateRef!: string | null;
  @ApiProperty({ type: ReminderDto, nullable: true }) reminder!: unknown;
  @ApiProperty({ type: EscalationDto, nullable: true }) escalation!: unknown;
  @ApiProperty({ description: 'Reminder rounds sent so far' }) remindersSent!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Known once the worker has resolved the targets' }) recipientCount!: number | null;
  @ApiProperty() senderName!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) launchedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) cancelledAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: Date | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why anpi closed it (e.g. JMA cancelled the information)' }) closedReason!: string | null;
  @ApiProperty({
    type: [EmailProviderNoteView],
    description: 'Email moved to the secondary provider (failover) or back to the primary (recovered) during this broadcast',
  })
  emailProviderNotes!: EmailProviderNoteView[];
  @ApiProperty({ type: BroadcastSourceView, nullable: true, description: 'Set when no person launched it: the telegram and rules' })
  source!: BroadcastSourceView | null;
  @ApiPropertyOptional({
    description: 'Deliveries per channel and state (GET /v1/broadcasts/:id)',
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/StateCounts' },
  })
  counts?: Record<string, StateCounts>;
  @ApiPropertyOptional({ type: LineWorksProgressView, description: 'GET /v1/broadcasts/:id, when the alert uses LINE WORKS' })
  lineworksProgress?: LineWorksProgressView;
}

export class BroadcastPage {
  @ApiProperty({ type: [BroadcastView] }) items!: BroadcastView[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class DeliveryView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: string;
  @ApiProperty({ enum: ['pending', 'sent', 'failed', 'skipped', 'cancelled'] }) state!: string;
  @ApiProperty() recipientId!: string;
  @ApiProperty() employeeId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) department!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The email address or mobile number; null for LINE' }) address!: string | null;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ type: String, nullable: true }) providerMessageId!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt!: Date | null;
  @ApiProperty({ type: String, nullable: true, enum: ['sendgrid', 'smtp'], description: 'Email: the provider that took it (the secondary after a failover)' })
  emailProvider!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['delivered', 'deferred', 'bounce', 'dropped'],
    description: "The provider's last delivery report (SendGrid's Event Webhook; SMTP sends none)",
  })
  providerEvent!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The provider's words with it (e.g. why it was deferred)" }) providerEventNote!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the receiving mail server accepted it' }) deliveredAt!: Date | null;
}

export class DeliveryPage {
  @ApiProperty({ type: [DeliveryView] }) items!: DeliveryView[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class ManualReminderView {
  @ApiProperty() broadcastId!: string;
  @ApiProperty({ description: 'The number of this reminder sent by hand (1, 2, …)' }) reminder!: number;
  @ApiProperty({ description: 'Recipients without an answer when the reminder was accepted' }) unanswered!: number;
  @ApiProperty({ enum: CHANNELS, isArray: true }) channels!: string[];
  @ApiProperty({ type: String, nullable: true }) idempotencyKey!: string | null;
  @ApiProperty({ description: 'true when this Idempotency-Key was seen before: nothing new was sent' }) replayed!: boolean;
}
