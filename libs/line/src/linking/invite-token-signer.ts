import { Injectable } from '@nestjs/common';
import { AppConfig } from '#anpi/config';
import { asTenantId, type TenantId } from '#anpi/db';
import { MacTokenCodec, uuidBytes, uuidString } from '#anpi/tokens';

export interface InviteClaims {
  tenantId: TenantId;
  employeeId: string;
}

/** Invitations stay usable for two weeks: people read HR's email when they get to it. */
export const INVITE_TTL_MS = 14 * 86_400_000;

const PAYLOAD_BYTES = 36;

/**
 * Personal LINE invitation links: `<key id><base64url(tenant id ‖ employee id ‖ expiry ‖ MAC)>`.
 * Same keys and codec as answer links (ANSWER_TOKEN_KEYS), another MAC domain, so neither kind of
 * token is ever accepted as the other.
 */
@Injectable()
export class InviteTokenSigner {
  private readonly codec: MacTokenCodec;

  constructor(config: AppConfig) {
    this.codec = new MacTokenCodec('anpi/line-invite/v1', config.answerTokenKeys, PAYLOAD_BYTES);
  }

  sign(claims: InviteClaims, expiresAt = new Date(Date.now() + INVITE_TTL_MS)): string {
    const payload = Buffer.alloc(PAYLOAD_BYTES);
    uuidBytes(claims.tenantId).copy(payload, 0);
    uuidBytes(claims.employeeId).copy(payload, 16);
    payload.writeUInt32BE(Math.floor(expiresAt.getTime() / 1000), 32);
    return this.codec.sign(payload);
  }

  /** null for anything not a live invitation (malformed, forged, expired): callers say nothing more. */
  verify(token: unknown, now = new Date()): InviteClaims | null {
    const opened = this.codec.open(token);
    if (!opened.ok || opened.payload.readUInt32BE(32) * 1000 <= now.getTime()) return null;
    return { tenantId: asTenantId(uuidString(opened.payload.subarray(0, 16))), employeeId: uuidString(opened.payload.subarray(16, 32)) };
  }
}
