import { Injectable } from '@nestjs/common';
import { AppConfig } from '#anpi/config';
import { MacTokenCodec, uuidBytes, uuidString } from '#anpi/tokens';

export interface AnswerTokenClaims {
  broadcastId: string;
  recipientId: string;
  expiresAt: Date;
}

export type AnswerTokenCheck = ({ ok: true } & AnswerTokenClaims) | { ok: false; reason: 'malformed' | 'unknown_key' | 'bad_signature' | 'expired' };

const PAYLOAD_BYTES = 36;

/**
 * Personal answer links: `<key id><base64url(broadcast id ‖ recipient id ‖ expiry ‖ MAC)>`, 71
 * characters (MacTokenCodec, domain anpi/answer/v1). The token holds ids and a time, no personal
 * data. Keys: ANSWER_TOKEN_KEYS (the first signs, all verify).
 */
@Injectable()
export class AnswerTokenSigner {
  private readonly codec: MacTokenCodec;

  constructor(config: AppConfig) {
    this.codec = new MacTokenCodec('anpi/answer/v1', config.answerTokenKeys, PAYLOAD_BYTES);
  }

  sign(claims: AnswerTokenClaims): string {
    const payload = Buffer.alloc(PAYLOAD_BYTES);
    uuidBytes(claims.broadcastId).copy(payload, 0);
    uuidBytes(claims.recipientId).copy(payload, 16);
    payload.writeUInt32BE(Math.floor(claims.expiresAt.getTime() / 1000), 32);
    return this.codec.sign(payload);
  }

  verify(token: string, now = new Date()): AnswerTokenCheck {
    const opened = this.codec.open(token);
    if (!opened.ok) return opened;
    const { payload } = opened;
    const expiresAt = new Date(payload.readUInt32BE(32) * 1000);
    if (expiresAt <= now) return { ok: false, reason: 'expired' };
    return { ok: true, broadcastId: uuidString(payload.subarray(0, 16)), recipientId: uuidString(payload.subarray(16, 32)), expiresAt };
  }
}
