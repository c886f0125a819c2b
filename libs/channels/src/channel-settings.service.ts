import { Injectable } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { AppConfig } from '#anpi/config';
import { TenantDb, isUniqueViolation, type ChannelSettings, type Prisma, type Sql, type TenantId, type Tx } from '#anpi/db';
import { PLATFORM_CHANNEL_KEY } from './credentials.js';
import type { ResolvedChannels } from './credentials.js';
import type { ChannelSettingsView, UpdateChannelSettingsDto } from './dto/channel-settings.dto.js';
import { SecretBox } from './secret-box.js';
import { BadRequestError, ConflictError } from '#anpi/errors';
import type { EmailAccount, EmailProviderKind, EmailRoute } from './email/email-provider.js';
import { EmailProviders } from './email/email-providers.js';
import { parseWebhookPublicKey } from './email/event-webhook-signature.js';
import { createPrivateKey } from 'node:crypto';

function isPrivateKey(pem: string): boolean {
  try {
    return createPrivateKey(pem.trim()).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

/** What sending needs of a tenant's own channel settings. */
type CredentialColumns = Pick<
  ChannelSettings,
  | 'tenantId'
  | 'lineChannelId'
  | 'lineAccessToken'
  | 'emailFromName'
  | 'emailFromAddress'
  | 'smsAccountSid'
  | 'smsAuthToken'
  | 'smsFrom'
  | 'smsMessagingServiceSid'
  | 'emailPrimaryProvider'
  | 'emailSecondaryProvider'
  | 'sendgridApiKey'
  | 'lineworksClientId'
  | 'lineworksClientSecret'
  | 'lineworksServiceAccount'
  | 'lineworksPrivateKey'
  | 'lineworksBotId'
  | 'lineworksDomainId'
  | 'lineworksRatePerMinute'
>;

/**
 * A tenant's own LINE channel and senders, with the platform's defaults behind them. Secrets are
 * sealed before they reach the database and never leave it in a response.
 */
@Injectable()
export class ChannelSettingsService {
  constructor(
    private readonly db: TenantDb,
    private readonly box: SecretBox,
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
    private readonly emailProviders: EmailProviders,
  ) {}

  async get(tenantId: TenantId): Promise<ChannelSettingsView> {
    return this.view(await this.db.run(tenantId, (tx) => tx.channelSettings.findUnique({ where: { tenantId } })));
  }

  async update(tenantId: TenantId, actor: Actor, dto: UpdateChannelSettingsDto): Promise<ChannelSettingsView> {
    const data: Prisma.ChannelSettingsUncheckedUpdateInput = {};
    if (dto.line !== undefined) {
      data.lineChannelId = dto.line?.channelId ?? null;
      data.lineBasicId = dto.line?.basicId ?? null;
      data.lineChannelSecret = dto.line ? this.box.seal(dto.line.channelSecret) : null;
      data.lineAccessToken = dto.line ? this.box.seal(dto.line.accessToken) : null;
    }
    if (dto.email !== undefined) {
      data.emailFromName = dto.email?.fromName ?? null;
      data.emailFromAddress = dto.email?.fromAddress ?? null;
    }
    if (dto.sms !== undefined) {
      data.smsAccountSid = dto.sms?.accountSid ?? null;
      data.smsAuthToken = dto.sms ? this.box.seal(dto.sms.authToken) : null;
      data.smsFrom = dto.sms?.from ?? null;
      data.smsMessagingServiceSid = dto.sms?.messagingServiceSid ?? null;
    }
    if (dto.emailProvider !== undefined) await this.emailProviderData(tenantId, dto.emailProvider, data);
    if (dto.lineworks !== undefined) await this.lineworksData(tenantId, dto.lineworks, data);
    if (dto.onDutyEmails !== undefined) data.onDutyEmails = [...new Set(dto.onDutyEmails.map((e) => e.trim().toLowerCase()))];
    const saved = await this.db
      .run(tenantId, async (tx) => {
        const row = await tx.channelSettings.upsert({
          where: { tenantId },
          create: { ...(data as Prisma.ChannelSettingsUncheckedCreateInput), tenantId },
          update: data,
        });
        await this.audit.record(tx, tenantId, actor, {
          action: 'settings.channels',
          resourceType: 'tenant',
          resourceId: tenantId,
          details: { changed: Object.keys(dto).filter((k) => dto[k as keyof UpdateChannelSettingsDto] !== undefined) },
        });
        return row;
      })
      .catch((error: unknown) => {
        // Webhooks find their tenant by channel id, so a channel belongs to one tenant.
        if (isUniqueViolation(error, 'line_channel_id')) {
          throw new ConflictError('line_channel_taken', 'This LINE channel is already connected to another account');
        }
        if (isUniqueViolation(error, 'lineworks_bot_id')) {
          throw new ConflictError('lineworks_bot_taken', 'This LINE WORKS bot is already connected to another account');
        }
        throw error;
      });
    return this.view(saved);
  }

  /** What a send job uses: the tenant's own channel where it has one, the platform's otherwise. */
  async resolve(tx: Tx, tenantId: TenantId): Promise<ResolvedChannels> {
    return this.resolved(await tx.channelSettings.findUnique({ where: { tenantId } }));
  }

  /** The same, inside a plain-SQL unit of work (the send path). */
  async resolveWith(sql: Sql): Promise<ResolvedChannels> {
    const [own] = await sql<CredentialColumns>(
      `SELECT tenant_id AS "tenantId", line_channel_id AS "lineChannelId", line_access_token AS "lineAccessToken", email_from_name AS "emailFromName",
              email_from_address AS "emailFromAddress", sms_account_sid AS "smsAccountSid", sms_auth_token AS "smsAuthToken",
              sms_from AS "smsFrom", sms_messaging_service_sid AS "smsMessagingServiceSid",
              email_primary_provider AS "emailPrimaryProvider", email_secondary_provider AS "emailSecondaryProvider",
              sendgrid_api_key AS "sendgridApiKey", lineworks_client_id AS "lineworksClientId",
              lineworks_client_secret AS "lineworksClientSecret", lineworks_service_account AS "lineworksServiceAccount",
              lineworks_private_key AS "lineworksPrivateKey", lineworks_bot_id AS "lineworksBotId",
              lineworks_domain_id AS "lineworksDomainId", lineworks_rate_per_minute AS "lineworksRatePerMinute"
       FROM channel_settings WHERE tenant_id = anpi_current_tenant()`,
    );
    return this.resolved(own ?? null);
  }

  private resolved(own: CredentialColumns | null): ResolvedChannels {
    const { line, email, sms } = this.config;
    return {
      line:
        own?.lineChannelId && own.lineAccessToken
          ? { channelKey: own.lineChannelId, accessToken: this.box.open(own.lineAccessToken) }
          : line.accessToken
            ? { channelKey: PLATFORM_CHANNEL_KEY, accessToken: line.accessToken }
            : null,
      email: own?.emailFromAddress
        ? { fromName: own.emailFromName ?? email.fromName, fromAddress: own.emailFromAddress }
        : { fromName: email.fromName, fromAddress: email.fromAddress },
      emailRoute: this.emailRoute(own),
      sms:
        own?.smsAccountSid && own.smsAuthToken
          ? {
              accountSid: own.smsAccountSid,
              authToken: this.box.open(own.smsAuthToken),
              from: own.smsFrom ?? undefined,
              messagingServiceSid: own.smsMessagingServiceSid ?? undefined,
            }
          : sms.accountSid && sms.authToken
            ? { accountSid: sms.accountSid, authToken: sms.authToken, from: sms.from, messagingServiceSid: sms.messagingServiceSid }
            : null,
      lineworks:
        own?.lineworksClientId && own.lineworksClientSecret && own.lineworksServiceAccount && own.lineworksPrivateKey && own.lineworksBotId
          ? {
              clientId: own.lineworksClientId,
              clientSecret: this.box.open(own.lineworksClientSecret),
              serviceAccount: own.lineworksServiceAccount,
              privateKey: this.box.open(own.lineworksPrivateKey),
              botId: own.lineworksBotId,
              domainId: own.lineworksDomainId,
              ratePerMinute: own.lineworksRatePerMinute ?? this.config.lineworks.ratePerMinute,
            }
          : null,
    };
  }

  /** The tenant's own providers where it chose them (its own SendGrid key, or the platform's), else the platform's. */
  private emailRoute(own: CredentialColumns | null): EmailRoute {
    if (!own?.emailPrimaryProvider) return this.emailProviders.platformRoute();
    const account = (kind: string): EmailAccount =>
      kind === 'sendgrid' && own.sendgridApiKey
        ? { kind: 'sendgrid', key: own.tenantId, apiKey: this.box.open(own.sendgridApiKey) }
        : this.emailProviders.platformAccount(kind as EmailProviderKind);
    return { primary: account(own.emailPrimaryProvider), secondary: own.emailSecondaryProvider ? account(own.emailSecondaryProvider) : null };
  }

  private async emailProviderData(
    tenantId: TenantId,
    input: UpdateChannelSettingsDto['emailProvider'],
    data: Prisma.ChannelSettingsUncheckedUpdateInput,
  ): Promise<void> {
    if (input === null || input === undefined) {
      Object.assign(data, { emailPrimaryProvider: null, emailSecondaryProvider: null, sendgridApiKey: null, sendgridWebhookKey: null });
      return;
    }
    const stored = await this.db.run(tenantId, (tx) => tx.channelSettings.findUnique({ where: { tenantId }, select: { sendgridApiKey: true } }));
    const ownKey = input.sendgridApiKey === undefined ? !!stored?.sendgridApiKey : !!input.sendgridApiKey;
    const secondary = input.secondary && input.secondary !== input.primary ? input.secondary : null;
    if ((input.primary === 'sendgrid' || secondary === 'sendgrid') && !ownKey && !this.config.sendgrid.apiKey) {
      throw new BadRequestError('emailProvider.sendgridApiKey is required: the platform has no SendGrid account to share');
    }
    if (input.sendgridWebhookPublicKey && !parseWebhookPublicKey(input.sendgridWebhookPublicKey)) {
      throw new BadRequestError('emailProvider.sendgridWebhookPublicKey is not an ECDSA public key (base64, as SendGrid shows it)');
    }
    data.emailPrimaryProvider = input.primary;
    data.emailSecondaryProvider = secondary;
    if (input.sendgridApiKey !== undefined) data.sendgridApiKey = input.sendgridApiKey ? this.box.seal(input.sendgridApiKey) : null;
    if (input.sendgridWebhookPublicKey !== undefined) data.sendgridWebhookKey = input.sendgridWebhookPublicKey?.trim() || null;
  }

  /** Secrets omitted keep the stored ones; the first setting-up needs all three. */
  private async lineworksData(
    tenantId: TenantId,
    input: UpdateChannelSettingsDto['lineworks'],
    data: Prisma.ChannelSettingsUncheckedUpdateInput,
  ): Promise<void> {
    if (!input) {
      Object.assign(data, {
        lineworksClientId: null,
        lineworksClientSecret: null,
        lineworksServiceAccount: null,
        lineworksPrivateKey: null,
        lineworksBotId: null,
        lineworksBotSecret: null,
        lineworksDomainId: null,
        lineworksRatePerMinute: null,
      });
      return;
    }
    const stored = await this.db.run(tenantId, (tx) =>
      tx.channelSettings.findUnique({
        where: { tenantId },
        select: { lineworksClientSecret: true, lineworksPrivateKey: true, lineworksBotSecret: true },
      }),
    );
    const missing = (
      [
        ['clientSecret', input.clientSecret, stored?.lineworksClientSecret],
        ['privateKey', input.privateKey, stored?.lineworksPrivateKey],
        ['botSecret', input.botSecret, stored?.lineworksBotSecret],
      ] as const
    )
      .filter(([, given, kept]) => !given && !kept)
      .map(([name]) => `lineworks.${name}`);
    if (missing.length) throw new BadRequestError(`${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required to set up LINE WORKS`);
    if (input.privateKey && !isPrivateKey(input.privateKey)) {
      throw new BadRequestError('lineworks.privateKey could not be read as a private key (PEM, as the Developer Console downloads it)');
    }
    Object.assign(data, {
      lineworksClientId: input.clientId,
      lineworksServiceAccount: input.serviceAccount,
      lineworksBotId: input.botId,
      lineworksDomainId: input.domainId,
      ...(input.ratePerMinute !== undefined && { lineworksRatePerMinute: input.ratePerMinute }),
      ...(input.clientSecret && { lineworksClientSecret: this.box.seal(input.clientSecret) }),
      ...(input.privateKey && { lineworksPrivateKey: this.box.seal(input.privateKey.trim()) }),
      ...(input.botSecret && { lineworksBotSecret: this.box.seal(input.botSecret) }),
    });
  }

  private view(row: ChannelSettings | null): ChannelSettingsView {
    const { email } = this.config;
    return {
      line: {
        usingPlatformDefault: !row?.lineChannelId,
        channelId: row?.lineChannelId ?? null,
        channelSecretSet: !!row?.lineChannelSecret,
        accessTokenSet: !!row?.lineAccessToken,
        basicId: row?.lineChannelId ? row.lineBasicId : (this.config.line.basicId ?? null),
        webhookUrl: `${this.config.publicBaseUrl}/line/webhook/${row?.lineChannelId ?? PLATFORM_CHANNEL_KEY}`,
      },
      email: {
        usingPlatformDefault: !row?.emailFromAddress,
        fromName: row?.emailFromAddress ? (row.emailFromName ?? email.fromName) : email.fromName,
        fromAddress: row?.emailFromAddress ?? email.fromAddress,
      },
      emailProvider: {
        usingPlatformDefault: !row?.emailPrimaryProvider,
        primary: (row?.emailPrimaryProvider ?? email.provider) as EmailProviderKind,
        secondary: (row?.emailPrimaryProvider ? row.emailSecondaryProvider : email.secondaryProvider) as EmailProviderKind | null,
        sendgridApiKeySet: !!row?.sendgridApiKey,
        sendgridWebhookPublicKeySet: !!row?.sendgridWebhookKey,
        eventWebhookUrl: `${this.config.publicBaseUrl}/email/events/${row?.sendgridApiKey ? row.tenantId : PLATFORM_CHANNEL_KEY}`,
      },
      sms: {
        usingPlatformDefault: !row?.smsAccountSid,
        accountSid: row?.smsAccountSid ?? null,
        authTokenSet: !!row?.smsAuthToken,
        from: row?.smsFrom ?? null,
        messagingServiceSid: row?.smsMessagingServiceSid ?? null,
      },
      lineworks: {
        configured: !!(row?.lineworksClientId && row.lineworksBotId && row.lineworksPrivateKey),
        clientId: row?.lineworksClientId ?? null,
        clientSecretSet: !!row?.lineworksClientSecret,
        serviceAccount: row?.lineworksServiceAccount ?? null,
        privateKeySet: !!row?.lineworksPrivateKey,
        botId: row?.lineworksBotId ?? null,
        botSecretSet: !!row?.lineworksBotSecret,
        domainId: row?.lineworksDomainId ?? null,
        ratePerMinute: row?.lineworksRatePerMinute ?? this.config.lineworks.ratePerMinute,
        callbackUrl: row?.lineworksBotId ? `${this.config.publicBaseUrl}/lineworks/callback/${row.lineworksBotId}` : null,
      },
      onDutyEmails: row?.onDutyEmails ?? [],
    };
  }
}
