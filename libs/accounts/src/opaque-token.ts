import { createHash, randomBytes } from 'node:crypto';
import { asTenantId, type TenantId } from '#anpi/db';

/**
 * Refresh tokens and API keys: `anpi_<kind>_<tenant id as 32 hex>_<256 random bits>`. The tenant
 * id (not secret) lets the server open the right tenant before looking the token up; only a
 * SHA-256 of the whole token is stored, which is enough for 256 random bits.
 */
export type OpaqueKind = 'rt' | 'sk';

const FORMAT = /^anpi_(rt|sk)_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export interface ParsedToken {
  kind: OpaqueKind;
  tenantId: TenantId;
  hash: string;
}

export function mintOpaqueToken(kind: OpaqueKind, tenantId: TenantId): { token: string; hash: string } {
  const token = `anpi_${kind}_${tenantId.replaceAll('-', '')}_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export function parseOpaqueToken(token: string, kind: OpaqueKind): ParsedToken | null {
  const match = FORMAT.exec(token);
  if (!match || match[1] !== kind) return null;
  const hex = match[2]!;
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { kind, tenantId: asTenantId(uuid), hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
