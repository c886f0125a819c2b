import { Injectable } from '@nestjs/common';
import { SecretBox } from '#anpi/channels';
import { PrismaService, asTenantId, type TenantId } from '#anpi/db';

/** A LINE WORKS bot anpi receives callbacks for: its tenant and its Bot Secret. */
export interface KnownBot {
  botId: string;
  tenantId: TenantId;
  secret: string;
}

/**
 * From a callback URL's bot id to its tenant and secret, through one SECURITY DEFINER lookup
 * before any tenant context exists. A suspended tenant's bot is not known.
 */
@Injectable()
export class LineWorksBotDirectory {
  constructor(
    private readonly prisma: PrismaService,
    private readonly box: SecretBox,
  ) {}

  async find(botId: string): Promise<KnownBot | null> {
    if (!/^\d{1,20}$/.test(botId)) return null;
    const [row] = await this.prisma.$queryRaw<{ tenant_id: string; tenant_status: string; bot_secret: string | null }[]>`
      SELECT * FROM anpi_lineworks_bot(${botId})`;
    if (!row || row.tenant_status !== 'active' || !row.bot_secret) return null;
    return { botId, tenantId: asTenantId(row.tenant_id), secret: this.box.open(row.bot_secret) };
  }
}
