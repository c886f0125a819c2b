import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaService, TenantDb, type TenantId } from '#anpi/db';

/** Base58: no 0/O or I/l to misread when someone types a link from a phone's screen. */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
/** 14 characters of base58: 82 bits, beyond guessing (the misses are rate-limited too). */
export const SHORT_CODE_LENGTH = 14;
export const SHORT_CODE = new RegExp(`^[${ALPHABET}]{${SHORT_CODE_LENGTH}}$`);

export interface ShortLinkTarget {
  broadcastId: string;
  recipientId: string;
  expiresAt: Date;
}

/**
 * Short answer links (/s/<code>) for SMS, where the 71-character signed token alone pushed every
 * alert into a second UCS-2 segment, paid by the customer. A code is random and stored per
 * recipient (issued again, it is the same code); opening one gives the same signed context as the
 * recipient's /a/ link, until the same deadline.
 */
@Injectable()
export class ShortAnswerLinks {
  constructor(
    private readonly db: TenantDb,
    private readonly prisma: PrismaService,
  ) {}

  /** The code of each recipient, issued now for those without one. One statement. */
  async issue(tenantId: TenantId, broadcastId: string, recipientIds: string[]): Promise<Map<string, string>> {
    if (recipientIds.length === 0) return new Map();
    const rows = await this.db.sql(tenantId, (sql) =>
      sql<{ recipient_id: string; code: string }>(
        `INSERT INTO answer_short_links (code, tenant_id, broadcast_id, recipient_id)
         SELECT c, $1::uuid, $2::uuid, r FROM unnest($3::text[], $4::uuid[]) AS x(c, r)
         ON CONFLICT (recipient_id) DO UPDATE SET code = answer_short_links.code
         RETURNING recipient_id::text, code`,
        [tenantId, broadcastId, recipientIds.map(() => newCode()), recipientIds],
      ),
    );
    return new Map(rows.map((r) => [r.recipient_id, r.code]));
  }

  /** What a code stands for, or null (unknown, or not a code at all). */
  async resolve(code: string): Promise<ShortLinkTarget | null> {
    if (!SHORT_CODE.test(code)) return null;
    const rows = await this.prisma.$queryRaw<{ broadcast_id: string; recipient_id: string; expires_at: Date }[]>`SELECT * FROM anpi_short_link(${code})`;
    const row = rows[0];
    return row ? { broadcastId: row.broadcast_id, recipientId: row.recipient_id, expiresAt: row.expires_at } : null;
  }
}

export function newCode(): string {
  let code = '';
  while (code.length < SHORT_CODE_LENGTH) {
    for (const byte of randomBytes(32)) {
      // 58 × 4 = 232: bytes from 232 up would favour the first letters; they are skipped.
      if (byte < 232 && code.length < SHORT_CODE_LENGTH) code += ALPHABET[byte % 58];
    }
  }
  return code;
}
