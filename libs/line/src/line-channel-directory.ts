import { Injectable } from '@nestjs/common';
import { AppConfig } from '#anpi/config';
import { PLATFORM_CHANNEL_KEY, SecretBox, type LineCredentials } from '#anpi/channels';
import { PrismaService, asTenantId, type TenantId } from '#anpi/db';

/** A LINE channel anpi receives webhooks for. */
export interface KnownLineChannel {
  /** "platform", or the tenant's own channel id: the last segment of the webhook URL. */
  key: string;
  /** The owner of a tenant's own channel; null for the platform's shared account. */
  tenantId: TenantId | null;
  secret: string;
  credentials: LineCredentials;
}

interface ChannelRow {
  tenant_id: string;
  tenant_status: string;
  channel_secret: string | null;
  access_token: string | null;
}

/**
 * From a webhook URL's channel key to the channel's secret and token. A tenant's own channel is
 * found through one SECURITY DEFINER lookup, before any tenant context exists; a suspended
 * tenant's channel is not known (its webhooks are refused like an unknown channel's).
 */
@Injectable()
export class LineChannelDirectory {
  constructor(
    private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly box: SecretBox,
  ) {}

  async find(key: string): Promise<KnownLineChannel | null> {
    if (key === PLATFORM_CHANNEL_KEY) {
      const { channelSecret, accessToken } = this.config.line;
      return channelSecret && accessToken ? { key, tenantId: null, secret: channelSecret, credentials: { channelKey: key, accessToken } } : null;
    }
    if (!/^\d{5,20}$/.test(key)) return null;
    const [row] = await this.prisma.$queryRaw<ChannelRow[]>`SELECT * FROM anpi_line_channel(${key})`;
    if (!row || row.tenant_status !== 'active' || !row.channel_secret || !row.access_token) return null;
    return {
      key,
      tenantId: asTenantId(row.tenant_id),
      secret: this.box.open(row.channel_secret),
      credentials: { channelKey: key, accessToken: this.box.open(row.access_token) },
    };
  }
}
