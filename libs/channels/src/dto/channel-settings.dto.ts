import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
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

export class LineWorksInput {
  @ApiProperty({ example: 'aBcDeFgHiJkLmN', description: "The app's Client ID (Developer Console → API 2.0)" })
  @Transform(trim)
  @Matches(/^[A-Za-z0-9_-]{4,100}$/, { message: "lineworks.clientId must be the app's Client ID (letters, digits, - and _)" })
  clientId!: string;

  @ApiPropertyOptional({ description: 'Stored encrypted; never returned. Omitted: the stored one stays' })
  @IsOptional()
  @IsString()
  @MinLength(4, { message: 'lineworks.clientSecret looks too short' })
  @MaxLength(200)
  clientSecret?: string;

  @ApiProperty({ example: 'abcde.serviceaccount@example', description: 'The Service Account issued for the app' })
  @Transform(trim)
  @Matches(/^[^\s@]+\.serviceaccount@\S+$/, { message: 'lineworks.serviceAccount must be the Service Account (…serviceaccount@domain)' })
  serviceAccount!: string;

  @ApiPropertyOptional({ description: "The app's private key (PEM, as downloaded); stored encrypted, never returned. Omitted: the stored one stays" })
  @IsOptional()
  @IsString()
  @Matches(/-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----/, {
    message: 'lineworks.privateKey must be the PEM private key (-----BEGIN PRIVATE KEY----- …)',
  })
  @MaxLength(10_000)
  privateKey?: string;

  @ApiProperty({ example: '2000001', description: 'The bot id; also the last part of its callback URL' })
  @Transform(trim)
  @Matches(/^\d{1,20}$/, { message: 'lineworks.botId must be the numeric bot id' })
  botId!: string;

  @ApiPropertyOptional({ description: 'The Bot Secret (verifies callbacks); stored encrypted, never returned. Omitted: the stored one stays' })
  @IsOptional()
  @IsString()
  @MinLength(4, { message: 'lineworks.botSecret looks too short' })
  @MaxLength(200)
  botSecret?: string;

  @ApiProperty({ example: '10000001', description: 'The LINE WORKS domain id' })
  @Transform(trim)
  @Matches(/^\d{1,20}$/, { message: 'lineworks.domainId must be the numeric domain id' })
  domainId!: string;

  @ApiPropertyOptional({
    nullable: true,
    description: 'Message requests a minute (LINE WORKS: 240 on paid plans, 60 on the free plan); null: the platform default',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'lineworks.ratePerMinute must be a whole number' })
  @Min(1, { message: 'lineworks.ratePerMinute must be at least 1' })
  @Max(6000, { message: 'lineworks.ratePerMinute must be at most 6000' })
  ratePerMinute?: number | null;
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

  @ApiPropertyOptional({ type: LineWorksInput, nullable: true, description: "The tenant's LINE WORKS app and bot; null removes them" })
  @IsOptional()
  @ValidateNested()
  @Type(() => LineWorksInput)
  lineworks?: LineWorksInput | null;

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

export class LineWorksSettingsView {
  @ApiProperty({ description: 'An app and bot are set up' }) configured!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) clientId!: string | null;
  @ApiProperty() clientSecretSet!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) serviceAccount!: string | null;
  @ApiProperty() privateKeySet!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) botId!: string | null;
  @ApiProperty() botSecretSet!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) domainId!: string | null;
  @ApiProperty({ description: 'Message requests a minute the sender keeps to' }) ratePerMinute!: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: "Set this as the bot's Callback URL in the Developer Console" })
  callbackUrl!: string | null;
}

export class LineWorksConnectionView {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ description: 'What happened, in words (Japanese, then English)' }) message!: string;
}

export class ChannelSettingsView {
  @ApiProperty({ type: LineSettingsView }) line!: LineSettingsView;
  @ApiProperty({ type: EmailSettingsView }) email!: EmailSettingsView;
  @ApiProperty({ type: EmailProviderView }) emailProvider!: EmailProviderView;
  @ApiProperty({ type: SmsSettingsView }) sms!: SmsSettingsView;
  @ApiProperty({ type: LineWorksSettingsView }) lineworks!: LineWorksSettingsView;
  @ApiProperty({ type: [String] }) onDutyEmails!: string[];
}
