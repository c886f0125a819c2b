import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '#anpi/config';

export interface AnswerTokenClaims {
  broadcastId: string;
  recipientId: string;
  expiresAt: Date;
}

export type AnswerTokenCheck = ({ ok: true } & AnswerTokenClaims) | { ok: false; reason: 'malformed' | 'unknown_key' | 'bad_signature' | 'expired' };

const DOMAIN = Buffer.from('anpi/answer/v1');
const MAC_BYTES = 16;
const PAYLOAD_BYTES = 36;

/**
 * Personal answer links: `<key id><base64url(broadcast id ‖ recipient id ‖ expiry ‖ MAC)>`, 71
 * characters. The MAC is HMAC-SHA256 truncated to 128 bits; the token holds ids and a time, no
 * personal data. The key id (first of ANSWER_TOKEN_KEYS signs, all verify) lets keys rotate.
 */
@Injectable()
export class AnswerTokenSigner {
  // Key objects made once: given the secret as a string, createHmac prepared a key for every
  // token (a fan-out signs one per recipient, the answer page checks one per tap).
  private readonly keys: Map<string, KeyObject>;
  private readonly current: { id: string; secret: KeyObject };

  constructor(config: AppConfig) {
    this.keys = new Map(config.answerTokenKeys.map((k) => [k.id, createSecretKey(Buffer.from(k.secret, 'utf8'))]));
    const first = config.answerTokenKeys[0]!;
    this.current = { id: first.id, secret: this.keys.get(first.id)! };
  }

  sign(claims: AnswerTokenClaims): string {
    const payload = Buffer.alloc(PAYLOAD_BYTES);
    uuidBytes(claims.broadcastId).copy(payload, 0);
    uuidBytes(claims.recipientId).copy(payload, 16);
    payload.writeUInt32BE(Math.floor(claims.expiresAt.getTime() / 1000), 32);
    return this.current.id + Buffer.concat([payload, mac(this.current.secret, this.current.id, payload)]).toString('base64url');
  }

  verify(token: string, now = new Date()): AnswerTokenCheck {
    if (typeof token !== 'string' || token.length !== 71 || !/^[A-Za-z0-9][A-Za-z0-9_-]{70}$/.test(token)) return { ok: false, reason: 'malformed' };
    const keyId = token[0]!;
    const secret = this.keys.get(keyId);
    if (!secret) return { ok: false, reason: 'unknown_key' };
    const bytes = Buffer.from(token.slice(1), 'base64url');
    if (bytes.length !== PAYLOAD_BYTES + MAC_BYTES) return { ok: false, reason: 'malformed' };
    const payload = bytes.subarray(0, PAYLOAD_BYTES);
    if (!timingSafeEqual(bytes.subarray(PAYLOAD_BYTES), mac(secret, keyId, payload))) return { ok: false, reason: 'bad_signature' };
    const expiresAt = new Date(payload.readUInt32BE(32) * 1000);
    if (expiresAt <= now) return { ok: false, reason: 'expired' };
    return { ok: true, broadcastId: uuidString(payload.subarray(0, 16)), recipientId: uuidString(payload.subarray(16, 32)), expiresAt };
  }
}

function mac(secret: KeyObject, keyId: string, payload: Buffer): Buffer {
  return createHmac('sha256', secret).update(DOMAIN).update(keyId).update(payload).digest().subarray(0, MAC_BYTES);
}

export function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replaceAll('-', '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new TypeError('not a UUID');
  return Buffer.from(hex, 'hex');
}

export function uuidString(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
