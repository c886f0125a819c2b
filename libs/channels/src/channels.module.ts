import { Module } from '@nestjs/common';
import { AuditModule } from '#anpi/audit';
import { ChannelSettingsService } from './channel-settings.service.js';
import { EmailChannel } from './email/email-channel.js';
import { SmtpEmailChannel } from './email/smtp-email-channel.js';
import { LineChannel } from './line/line-channel.js';
import { LineSdkChannel } from './line/line-sdk-channel.js';
import { ProviderRateLimiter } from './rate-limiter.js';
import { SecretBox } from './secret-box.js';
import { SmsChannel } from './sms/sms-channel.js';
import { TwilioSmsChannel } from './sms/twilio-sms-channel.js';

/**
 * Delivery channels behind small interfaces. One adapter per provider today (LINE's SDK, SMTP,
 * Twilio); another provider is another class bound here, and the domain does not change.
 */
@Module({
  imports: [AuditModule],
  providers: [
    SecretBox,
    ChannelSettingsService,
    ProviderRateLimiter,
    { provide: LineChannel, useClass: LineSdkChannel },
    { provide: EmailChannel, useClass: SmtpEmailChannel },
    { provide: SmsChannel, useClass: TwilioSmsChannel },
  ],
  exports: [SecretBox, ChannelSettingsService, ProviderRateLimiter, LineChannel, EmailChannel, SmsChannel],
})
export class ChannelsModule {}
