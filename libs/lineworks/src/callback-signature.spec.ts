import { createHmac } from 'node:crypto';
import { isValidWorksSignature } from './callback-signature.js';

describe('isValidWorksSignature', () => {
  const secret = 'bot-secret-0123';
  const body = Buffer.from('{"type":"message","source":{"userId":"u1"},"content":{"type":"text","text":"こんにちは"}}');
  const signed = createHmac('sha256', secret).update(body).digest('base64');

  it('accepts Base64(HMAC-SHA256(bot secret, raw body))', () => {
    expect(isValidWorksSignature(secret, body, signed)).toBe(true);
  });

  it('refuses a missing, malformed or wrong signature, another secret, and one changed byte', () => {
    expect(isValidWorksSignature(secret, body, undefined)).toBe(false);
    expect(isValidWorksSignature(secret, body, 'not base64!')).toBe(false);
    expect(isValidWorksSignature('other-secret', body, signed)).toBe(false);
    const changed = Buffer.from(body);
    changed[changed.length - 3] ^= 1;
    expect(isValidWorksSignature(secret, changed, signed)).toBe(false);
    expect(isValidWorksSignature(secret, Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1)), signed)).toBe(false);
  });
});
