import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * LINE WORKS signs each callback body: Base64(HMAC-SHA256(bot secret, raw body bytes)) in
 * X-WORKS-Signature. Checked on the raw bytes: re-serialised JSON, or one changed byte, fails.
 */
export function isValidWorksSignature(botSecret: string, rawBody: Buffer, signature: string | undefined): boolean {
  if (typeof signature !== 'string' || !/^[A-Za-z0-9+/]{43}=$/.test(signature)) return false;
  const expected = createHmac('sha256', botSecret).update(rawBody).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
