import { Module } from '@nestjs/common';
import { AuditModule } from '#anpi/audit';
import { ChannelSettingsService } from './channel-settings.service.js';
import { EmailChannel } from './email/email-channel.js';
import { EmailFailover } from './email/email-failover.js';
import { EmailProviders } from './email/email-providers.js';
import { ProviderEmailChannel } from './email/provider-email-channel.js';
import { SendgridEmailProvider } from './email/sendgrid-email-provider.js';
import { SmtpEmailProvider } from './email/smtp-email-provider.js';
import { LineChannel } from './line/line-channel.js';
import { LineApiChannel } from './line/line-api-channel.js';
import { LineWorksApiChannel } from './lineworks/lineworks-api-channel.js';
import { LineWorksChannel } from './lineworks/lineworks-channel.js';
import { LineWorksConnection } from './lineworks/lineworks-connection.js';
import { LineWorksTokens } from './lineworks/lineworks-tokens.js';
import { ProviderRateLimiter } from './rate-limiter.js';
import { SecretBox } from './secret-box.js';
import { SmsChannel } from './sms/sms-channel.js';
import { TwilioSmsChannel } from './sms/twilio-sms-channel.js';

/**
 * Delivery channels behind small interfaces. One adapter per provider (LINE's SDK, SMTP and
 * SendGrid for email, Twilio, LINE WORKS); another provider is another class bound here, and the domain does not change.
 */
@Module({
  imports: [AuditModule],
  providers: [
    SecretBox,
    ChannelSettingsService,
    ProviderRateLimiter,
    { provide: LineChannel, useClass: LineApiChannel },
    SmtpEmailProvider,
    SendgridEmailProvider,
    EmailProviders,
    EmailFailover,
    { provide: EmailChannel, useClass: ProviderEmailChannel },
    { provide: SmsChannel, useClass: TwilioSmsChannel },
    LineWorksTokens,
    { provide: LineWorksChannel, useClass: LineWorksApiChannel },
    LineWorksConnection,
  ],
  exports: [
    SecretBox,
    ChannelSettingsService,
    ProviderRateLimiter,
    LineChannel,
    EmailChannel,
    EmailProviders,
    EmailFailover,
    SmsChannel,
    LineWorksTokens,
    LineWorksChannel,
    LineWorksConnection,
  ],
})
export class ChannelsModule {}
