import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * LINE signs each webhook body: base64(HMAC-SHA256(channel secret, raw body bytes)) in
 * x-line-signature. The raw bytes, not re-serialised JSON: one changed byte must fail.
 */
export function isValidLineSignature(channelSecret: string, rawBody: Buffer, signature: string | undefined): boolean {
  if (typeof signature !== 'string' || !/^[A-Za-z0-9+/]{43}=$/.test(signature)) return false;
  const expected = createHmac('sha256', channelSecret).update(rawBody).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
