import { Injectable } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { AppConfig } from '#anpi/config';
import { PLATFORM_CHANNEL_KEY, parseWebhookPublicKey } from '#anpi/channels';
import { PrismaService, asTenantId, isUuid, type TenantId } from '#anpi/db';

/** An Event Webhook URL's account: the platform's shared SendGrid account, or a tenant's own. */
export interface EmailEventAccount {
  key: string;
  /** The tenant whose own account this is; null for the platform's (each delivery names its tenant). */
  tenantId: TenantId | null;
  publicKey: KeyObject;
}

/**
 * From the URL's key to the verification key, before any tenant context exists: the platform's
 * from configuration, a tenant's own through one SECURITY DEFINER lookup (active tenants only).
 */
@Injectable()
export class EmailEventKeys {
  constructor(
    private readonly config: AppConfig,
    private readonly prisma: PrismaService,
  ) {}

  async find(key: string): Promise<EmailEventAccount | null> {
    if (key === PLATFORM_CHANNEL_KEY) {
      const publicKey = this.config.sendgrid.webhookPublicKey ? parseWebhookPublicKey(this.config.sendgrid.webhookPublicKey) : null;
      return publicKey ? { key, tenantId: null, publicKey } : null;
    }
    if (!isUuid(key)) return null;
    const [row] = await this.prisma.$queryRaw<{ tenant_id: string; webhook_key: string }[]>`SELECT * FROM anpi_sendgrid_webhook_key(${key}::uuid)`;
    const publicKey = row ? parseWebhookPublicKey(row.webhook_key) : null;
    return row && publicKey ? { key, tenantId: asTenantId(row.tenant_id), publicKey } : null;
  }
}
