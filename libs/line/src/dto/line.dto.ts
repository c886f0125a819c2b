import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '#anpi/validation';

export class InviteDepartmentDto {
  @ApiProperty({ description: 'Every active, unlinked employee of this department and its sub-departments is invited' })
  @IsUUID('all', { message: 'departmentId must be a UUID' })
  departmentId!: string;
}

export class InviteResult {
  @ApiProperty({ description: 'Invitations queued (email, or SMS for employees without an email)' }) queued!: number;
  @ApiProperty({ description: 'Employees left out: already linked, or without email and mobile' }) skipped!: number;
}

export class InboxQuery extends PageQuery(200, 50) {}

export class InboxReplyDto {
  @ApiProperty({ maxLength: 2000 })
  @IsString({ message: 'text must be a string' })
  @MinLength(1, { message: 'text must not be empty' })
  @MaxLength(2000, { message: 'text must be at most 2000 characters' })
  text!: string;
}

export class InboxEmployee {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) departmentId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) departmentName!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The name the employee uses on LINE (may be anything)' }) lineDisplayName!: string | null;
}

export class InboxMessageView {
  @ApiProperty() id!: string;
  @ApiProperty() receivedAt!: Date;
  @ApiProperty() text!: string;
  @ApiProperty({ type: InboxEmployee }) employee!: InboxEmployee;
  @ApiProperty({ enum: ['line', 'lineworks'], description: 'Where the employee wrote it (and where a reply goes)' }) channel!: 'line' | 'lineworks';
  @ApiPropertyOptional({ type: String, nullable: true }) replyText!: string | null;
  @ApiPropertyOptional({ type: Date, nullable: true }) repliedAt!: Date | null;
}

export class InboxPage {
  @ApiProperty({ type: [InboxMessageView] }) items!: InboxMessageView[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
