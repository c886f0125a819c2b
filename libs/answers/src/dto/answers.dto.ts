import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '#anpi/validation';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class ProxyAnswerDto {
  @ApiProperty({
    description: '{ questionId: optionId }; required questions may be left out (「無事です」 only, from a phone call): the answer is then partial',
    example: { self: 'safe', family: 'all_safe', home: 'no_damage', work: 'yes' },
  })
  @IsObject({ message: 'choices must be an object of questionId: optionId' })
  choices!: Record<string, string>;

  @ApiPropertyOptional({ example: '電話で確認。自宅待機。' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  message?: string;
}

export const RECIPIENT_STATES = ['unanswered', 'answered', 'partial', 'opened', 'all'] as const;

export class RecipientsQuery extends PageQuery(500, 50) {
  @ApiPropertyOptional({
    enum: RECIPIENT_STATES,
    default: 'all',
    description: 'opened: opened the page but not answered; partial: answered with a required question still empty',
  })
  @IsOptional()
  @IsIn(RECIPIENT_STATES, { message: 'state must be unanswered, answered, partial, opened or all' })
  state?: (typeof RECIPIENT_STATES)[number];

  @ApiPropertyOptional({ format: 'uuid', description: 'This department and everything under it' })
  @IsOptional()
  @IsUUID('all', { message: 'department must be a department id (UUID)' })
  department?: string;
}

export class RecipientChannels {
  @ApiProperty() email!: boolean;
  @ApiProperty() mobile!: boolean;
  @ApiProperty() line!: boolean;
}

export class RecipientView {
  @ApiProperty() recipientId!: string;
  @ApiProperty() employeeId!: string;
  @ApiProperty() employeeCode!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) department!: string | null;
  @ApiProperty({ enum: ['answered', 'opened', 'unanswered'] }) state!: 'answered' | 'opened' | 'unanswered';
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) openedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) answeredAt!: Date | null;
  @ApiProperty({ description: 'Answered, but a required question is still empty (the LINE one-tap 無事です, a partial proxy answer)' })
  answeredPartially!: boolean;
  @ApiPropertyOptional({ type: [String], description: 'Admins; department heads when the tenant setting headsSeeContacts is on' }) emails?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Admins; department heads when the tenant setting headsSeeContacts is on' }) mobiles?: string[];
  @ApiProperty({ type: RecipientChannels, description: 'Which channels are registered' }) channels!: RecipientChannels;
  @ApiPropertyOptional({
    type: [String],
    description: "Admins: the employee's addresses flagged as bouncing for good (fix them in the directory before the next alert)",
  })
  bouncedEmails?: string[];
}

export class RecipientPage {
  @ApiProperty({ type: [RecipientView] }) items!: RecipientView[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class AnswerView {
  @ApiProperty() id!: string;
  @ApiProperty() recipientId!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) choices!: Record<string, string>;
  @ApiProperty({ type: String, nullable: true }) message!: string | null;
  @ApiProperty({ enum: ['self', 'proxy'] }) source!: string;
  @ApiProperty({ type: String, nullable: true }) enteredById!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) submittedAt!: Date;
}
