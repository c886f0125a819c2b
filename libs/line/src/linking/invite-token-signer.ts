import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { uuidBytes, uuidString } from '#anpi/alerts';
import { AppConfig } from '#anpi/config';
import { asTenantId, type TenantId } from '#anpi/db';

export interface InviteClaims {
  tenantId: TenantId;
  employeeId: string;
}

/** Invitations stay usable for two weeks: people read HR's email when they get to it. */
export const INVITE_TTL_MS = 14 * 86_400_000;

const DOMAIN = Buffer.from('anpi/line-invite/v1');
const PAYLOAD_BYTES = 36;
const MAC_BYTES = 16;

/**
 * Personal LINE invitation links: `<key id><base64url(tenant id ‖ employee id ‖ expiry ‖ MAC)>`.
 * Same keys as answer links (ANSWER_TOKEN_KEYS), another MAC domain, so neither kind of token
 * is ever accepted as the other.
 */
@Injectable()
export class InviteTokenSigner {
  private readonly keys: Map<string, string>;
  private readonly current: { id: string; secret: string };

  constructor(config: AppConfig) {
    this.keys = new Map(config.answerTokenKeys.map((k) => [k.id, k.secret]));
    this.current = config.answerTokenKeys[0]!;
  }

  sign(claims: InviteClaims, expiresAt = new Date(Date.now() + INVITE_TTL_MS)): string {
    const payload = Buffer.alloc(PAYLOAD_BYTES);
    uuidBytes(claims.tenantId).copy(payload, 0);
    uuidBytes(claims.employeeId).copy(payload, 16);
    payload.writeUInt32BE(Math.floor(expiresAt.getTime() / 1000), 32);
    return this.current.id + Buffer.concat([payload, mac(this.current.secret, this.current.id, payload)]).toString('base64url');
  }

  /** null for anything not a live invitation (malformed, forged, expired): callers say nothing more. */
  verify(token: unknown, now = new Date()): InviteClaims | null {
    if (typeof token !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]{70}$/.test(token)) return null;
    const secret = this.keys.get(token[0]!);
    if (!secret) return null;
    const bytes = Buffer.from(token.slice(1), 'base64url');
    if (bytes.length !== PAYLOAD_BYTES + MAC_BYTES) return null;
    const payload = bytes.subarray(0, PAYLOAD_BYTES);
    if (!timingSafeEqual(bytes.subarray(PAYLOAD_BYTES), mac(secret, token[0]!, payload))) return null;
    if (payload.readUInt32BE(32) * 1000 <= now.getTime()) return null;
    return { tenantId: asTenantId(uuidString(payload.subarray(0, 16))), employeeId: uuidString(payload.subarray(16, 32)) };
  }
}

function mac(secret: string, keyId: string, payload: Buffer): Buffer {
  return createHmac('sha256', secret).update(DOMAIN).update(keyId).update(payload).digest().subarray(0, MAC_BYTES);
}
