import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '#anpi/validation';

export const TELEGRAM_OUTCOMES = ['accepted', 'rejected', 'ignored'] as const;

export class ListTelegramsQuery extends PageQuery(200, 50) {
  @ApiPropertyOptional({ enum: TELEGRAM_OUTCOMES })
  @IsOptional()
  @IsIn(TELEGRAM_OUTCOMES, { message: 'outcome must be accepted, rejected or ignored' })
  outcome?: (typeof TELEGRAM_OUTCOMES)[number];
}

export class TelegramEffectsView {
  @ApiProperty({ description: 'Tenants where it launched an alert (or scheduled one, during a hold)' }) launched!: number;
  @ApiProperty({ description: 'Tenants where it added employees to the alert of the same quake' }) added!: number;
  @ApiProperty({ description: 'Tenants where it cancelled a pending alert or closed a sent one (取消)' }) cancelled!: number;
  @ApiProperty({ description: 'Tenants where a rule matched but the aftershock window suppressed it' }) suppressed!: number;
  @ApiProperty({ description: 'Tenants where the quake was alerted already and this telegram reached no one new' }) unchanged!: number;
  @ApiProperty({ description: 'Tenants with rules that it did not meet' }) unmatched!: number;
}

export class TelegramView {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'The Atom entry id, or manual:<sha-256> for one submitted by hand' }) entryId!: string;
  @ApiProperty({ enum: ['feed', 'manual'] }) receivedVia!: string;
  @ApiProperty({ type: String, nullable: true, example: 'VXSE53' }) kind!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '震源・震度に関する情報' }) title!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['通常', '訓練', '試験'] }) status!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['発表', '訂正', '取消'] }) infoType!: string | null;
  @ApiProperty({ type: String, nullable: true }) eventId!: string | null;
  @ApiProperty({ type: Number, nullable: true }) serial!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) reportedAt!: Date | null;
  @ApiProperty({ enum: TELEGRAM_OUTCOMES, description: 'rejected: unreadable (see reason); ignored: 試験, too old, or a type anpi does not act on' })
  outcome!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: Object, nullable: true, description: 'Levels per prefecture (JIS X 0401 code → level), headline, epicentre' })
  summary!: Record<string, unknown> | null;
  @ApiProperty({ type: TelegramEffectsView, nullable: true, description: 'What it caused; null until evaluated' }) effects!: TelegramEffectsView | null;
  @ApiProperty({ type: String, format: 'date-time' }) receivedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) evaluatedAt!: Date | null;
}

export class TelegramPage {
  @ApiProperty({ type: [TelegramView] }) items!: TelegramView[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
