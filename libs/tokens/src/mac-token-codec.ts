import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

export interface TokenKey {
  /** One letter or digit, the token's first character. */
  id: string;
  secret: string;
}

export type OpenedToken = { ok: true; payload: Buffer } | { ok: false; reason: 'malformed' | 'unknown_key' | 'bad_signature' };

/**
 * Signed tokens in links: `<key id><base64url(payload ‖ MAC)>`, the MAC HMAC-SHA256 over a domain,
 * the key id and the payload, truncated to 128 bits. The domain keeps one kind of token from ever
 * being accepted as another under the same keys; the key id (the first key signs, all verify) lets
 * keys rotate. Keys are prepared once: given as strings, createHmac prepared one for every token.
 */
export class MacTokenCodec {
  private readonly keys: Map<string, KeyObject>;
  private readonly current: { id: string; key: KeyObject };
  private readonly domain: Buffer;
  private readonly length: number;
  private readonly shape: RegExp;

  constructor(
    domain: string,
    keys: TokenKey[],
    private readonly payloadBytes: number,
    private readonly macBytes = 16,
  ) {
    if (keys.length === 0) throw new Error('a token codec needs at least one key');
    this.domain = Buffer.from(domain);
    this.keys = new Map(keys.map((k) => [k.id, createSecretKey(Buffer.from(k.secret, 'utf8'))]));
    this.current = { id: keys[0]!.id, key: this.keys.get(keys[0]!.id)! };
    this.length = 1 + Math.ceil(((payloadBytes + macBytes) * 4) / 3);
    this.shape = new RegExp(`^[A-Za-z0-9][A-Za-z0-9_-]{${this.length - 1}}$`);
  }

  sign(payload: Buffer): string {
    if (payload.length !== this.payloadBytes) throw new TypeError(`a payload of ${this.payloadBytes} bytes is expected`);
    return this.current.id + Buffer.concat([payload, this.mac(this.current.key, this.current.id, payload)]).toString('base64url');
  }

  /** The payload of a genuine token; says why otherwise. Expiry is the caller's (it is in the payload). */
  open(token: unknown): OpenedToken {
    if (typeof token !== 'string' || token.length !== this.length || !this.shape.test(token)) return { ok: false, reason: 'malformed' };
    const keyId = token[0]!;
    const key = this.keys.get(keyId);
    if (!key) return { ok: false, reason: 'unknown_key' };
    const bytes = Buffer.from(token.slice(1), 'base64url');
    if (bytes.length !== this.payloadBytes + this.macBytes) return { ok: false, reason: 'malformed' };
    const payload = bytes.subarray(0, this.payloadBytes);
    if (!timingSafeEqual(bytes.subarray(this.payloadBytes), this.mac(key, keyId, payload))) return { ok: false, reason: 'bad_signature' };
    return { ok: true, payload };
  }

  private mac(key: KeyObject, keyId: string, payload: Buffer): Buffer {
    return createHmac('sha256', key).update(this.domain).update(keyId).update(payload).digest().subarray(0, this.macBytes);
  }
}
