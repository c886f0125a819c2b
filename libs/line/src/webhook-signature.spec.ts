import { createHmac } from 'node:crypto';
import { isValidLineSignature } from './webhook-signature.js';

const SECRET = 'channel-secret-0123456789abcdef';
const body = Buffer.from(JSON.stringify({ destination: 'U0', events: [{ type: 'follow', webhookEventId: '01J' }] }));
const sign = (bytes: Buffer, secret = SECRET) => createHmac('sha256', secret).update(bytes).digest('base64');

describe('isValidLineSignature', () => {
  it('accepts the signature LINE computes over the raw body', () => {
    expect(isValidLineSignature(SECRET, body, sign(body))).toBe(true);
  });

  it('refuses a missing, empty or malformed signature', () => {
    expect(isValidLineSignature(SECRET, body, undefined)).toBe(false);
    expect(isValidLineSignature(SECRET, body, '')).toBe(false);
    expect(isValidLineSignature(SECRET, body, 'not base64 at all')).toBe(false);
    expect(isValidLineSignature(SECRET, body, sign(body).slice(0, 20))).toBe(false);
  });

  it('refuses a signature made with another channel secret', () => {
    expect(isValidLineSignature(SECRET, body, sign(body, 'another-channel-secret'))).toBe(false);
  });

  it('refuses the body altered by a single byte', () => {
    const signature = sign(body);
    for (const at of [0, Math.floor(body.length / 2), body.length - 1]) {
      const altered = Buffer.from(body);
      altered[at] = altered[at]! ^ 0x01;
      expect(isValidLineSignature(SECRET, altered, signature)).toBe(false);
    }
  });

  it('checks bytes, so re-serialising the JSON (spacing) fails', () => {
    const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(isValidLineSignature(SECRET, pretty, sign(body))).toBe(false);
  });
});
