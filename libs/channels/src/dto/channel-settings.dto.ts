import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { IsDisplayName, trim } from '#anpi/validation';

export class LineChannelInput {
  @ApiProperty({ example: '1234567890' })
  @Transform(trim)
  @Matches(/^\d{5,20}$/, { message: 'line.channelId must be the numeric channel id' })
  channelId!: string;

  @ApiProperty({ description: 'Stored encrypted; never returned' })
  @IsString()
  @MinLength(8, { message: 'line.channelSecret looks too short' })
  @MaxLength(200)
  channelSecret!: string;

  @ApiProperty({ description: 'Long-lived channel access token; stored encrypted; never returned' })
  @IsString()
  @MinLength(16, { message: 'line.accessToken looks too short' })
  @MaxLength(1000)
  accessToken!: string;

  @ApiPropertyOptional({ example: '@abc1234', description: "The official account's basic id: invitations carry its friend-add link and QR code" })
  @IsOptional()
  @Transform(trim)
  @Matches(/^@[a-z0-9._-]{3,30}$/, { message: 'line.basicId must be the basic id, "@" then letters and digits (e.g. @abc1234)' })
  basicId?: string;
}

export class EmailSenderInput {
  @ApiProperty({ example: '株式会社アクメ 安否確認' })
  @IsDisplayName('email.fromName')
  fromName!: string;

  @ApiProperty({ example: 'anpi@acme.co.jp' })
  @Transform(trim)
  @IsEmail({}, { message: 'email.fromAddress must be an email address' })
  fromAddress!: string;
}

const EMAIL_PROVIDERS = ['sendgrid', 'smtp'] as const;

export class EmailProviderInput {
  @ApiProperty({ enum: EMAIL_PROVIDERS, description: 'Where alerts go first' })
  @IsIn(EMAIL_PROVIDERS, { message: 'emailProvider.primary must be sendgrid or smtp' })
  primary!: 'sendgrid' | 'smtp';

  @ApiPropertyOptional({ enum: EMAIL_PROVIDERS, nullable: true, description: 'Where email fails over to when the primary fails; null for no failover' })
  @IsOptional()
  @IsIn(EMAIL_PROVIDERS, { message: 'emailProvider.secondary must be sendgrid, smtp or null' })
  secondary?: 'sendgrid' | 'smtp' | null;

  @ApiPropertyOptional({
    nullable: true,
    description:
      "The tenant's own SendGrid API key (Mail Send permission); stored encrypted, never returned. Omitted: the stored one stays; null: the platform's account",
  })
  @IsOptional()
  @IsString()
  @MinLength(20, { message: 'emailProvider.sendgridApiKey looks too short' })
  @MaxLength(200)
  sendgridApiKey?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    description: "The own account's Event Webhook verification key (base64, as SendGrid's Mail Settings show it). Omitted: the stored one stays",
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  sendgridWebhookPublicKey?: string | null;
}

export class SmsSenderInput {
  @ApiProperty({ example: 'AC0123456789abcdef0123456789abcdef' })
  @Matches(/^AC[0-9a-fA-F]{32}$/, { message: 'sms.accountSid must be AC followed by 32 hex digits' })
  accountSid!: string;

  @ApiProperty({ description: 'Stored encrypted; never returned' })
  @IsString()
  @MinLength(16, { message: 'sms.authToken looks too short' })
  @MaxLength(200)
  authToken!: string;

  @ApiPropertyOptional({ description: 'Sender number (E.164) — this or messagingServiceSid' })
  @ValidateIf((o: SmsSenderInput) => !o.messagingServiceSid || o.from !== undefined)
  @Matches(/^\+[1-9]\d{7,14}$/, { message: 'sms.from must be an E.164 number (or give messagingServiceSid)' })
  from?: string;

  @ApiPropertyOptional({ example: 'MG0123456789abcdef0123456789abcdef' })
  @IsOptional()
  @Matches(/^MG[0-9a-fA-F]{32}$/, { message: 'sms.messagingServiceSid must be MG followed by 32 hex digits' })
  messagingServiceSid?: string;
}

/** Each part replaces the tenant's own setting; null removes it (the platform default applies again). */
export class UpdateChannelSettingsDto {
  @ApiPropertyOptional({ type: LineChannelInput, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => LineChannelInput)
  line?: LineChannelInput | null;

  @ApiPropertyOptional({ type: EmailSenderInput, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmailSenderInput)
  email?: EmailSenderInput | null;

  @ApiPropertyOptional({ type: EmailProviderInput, nullable: true, description: "The tenant's own email providers; null: the platform's" })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmailProviderInput)
  emailProvider?: EmailProviderInput | null;

  @ApiPropertyOptional({ type: SmsSenderInput, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SmsSenderInput)
  sms?: SmsSenderInput | null;

  @ApiPropertyOptional({ type: [String], description: 'Who gets an email for each message employees write to the LINE account (up to 10); [] for nobody' })
  @IsOptional()
  @IsArray({ message: 'onDutyEmails must be a list of email addresses' })
  @ArrayMaxSize(10, { message: 'onDutyEmails takes at most 10 addresses' })
  @IsEmail({}, { each: true, message: 'onDutyEmails must contain email addresses only' })
  onDutyEmails?: string[];
}

export class LineSettingsView {
  @ApiProperty({ description: "true: the platform's shared official account is used" }) usingPlatformDefault!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) channelId!: string | null;
  @ApiProperty() channelSecretSet!: boolean;
  @ApiProperty() accessTokenSet!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) basicId!: string | null;
  @ApiProperty({ description: "Set this as the channel's webhook URL in the LINE Developers console" }) webhookUrl!: string;
}

export class EmailSettingsView {
  @ApiProperty() usingPlatformDefault!: boolean;
  @ApiProperty() fromName!: string;
  @ApiProperty() fromAddress!: string;
}

export class EmailProviderView {
  @ApiProperty({ description: "true: the platform's providers are used" }) usingPlatformDefault!: boolean;
  @ApiProperty({ enum: EMAIL_PROVIDERS }) primary!: 'sendgrid' | 'smtp';
  @ApiPropertyOptional({ enum: EMAIL_PROVIDERS, nullable: true }) secondary!: 'sendgrid' | 'smtp' | null;
  @ApiProperty({ description: "A SendGrid API key of the tenant's own is stored" }) sendgridApiKeySet!: boolean;
  @ApiProperty() sendgridWebhookPublicKeySet!: boolean;
  @ApiProperty({ description: "Set this as the Event Webhook URL in the tenant's own SendGrid account" }) eventWebhookUrl!: string;
}

export class SmsSettingsView {
  @ApiProperty() usingPlatformDefault!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) accountSid!: string | null;
  @ApiProperty() authTokenSet!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) from!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) messagingServiceSid!: string | null;
}

export class ChannelSettingsView {
  @ApiProperty({ type: LineSettingsView }) line!: LineSettingsView;
  @ApiProperty({ type: EmailSettingsView }) email!: EmailSettingsView;
  @ApiProperty({ type: EmailProviderView }) emailProvider!: EmailProviderView;
  @ApiProperty({ type: SmsSettingsView }) sms!: SmsSettingsView;
  @ApiProperty({ type: [String] }) onDutyEmails!: string[];
}
