import { Injectable } from '@nestjs/common';
import { AppConfig } from '#anpi/config';
import { PLATFORM_CHANNEL_KEY } from '../credentials.js';
import { EmailProvider, type EmailAccount, type EmailProviderKind, type EmailRoute } from './email-provider.js';
import { SendgridEmailProvider } from './sendgrid-email-provider.js';
import { SmtpEmailProvider } from './smtp-email-provider.js';

/** The email providers by kind, and the platform's route through them. */
@Injectable()
export class EmailProviders {
  private readonly byKind: Record<EmailProviderKind, EmailProvider>;

  constructor(
    smtp: SmtpEmailProvider,
    sendgrid: SendgridEmailProvider,
    private readonly config: AppConfig,
  ) {
    this.byKind = { smtp, sendgrid };
  }

  get(kind: EmailProviderKind): EmailProvider {
    return this.byKind[kind];
  }

  /** EMAIL_PROVIDER, then EMAIL_SECONDARY_PROVIDER if set. */
  platformRoute(): EmailRoute {
    const { provider, secondaryProvider } = this.config.email;
    return { primary: this.platformAccount(provider), secondary: secondaryProvider ? this.platformAccount(secondaryProvider) : null };
  }

  platformAccount(kind: EmailProviderKind): EmailAccount {
    return kind === 'sendgrid' ? { kind, key: PLATFORM_CHANNEL_KEY, apiKey: this.config.sendgrid.apiKey } : { kind, key: PLATFORM_CHANNEL_KEY };
  }
}
