import { createHmac } from 'node:crypto';
import { loadConfig } from '#anpi/config';
import { AnswerTokenSigner } from './answer-token-signer.js';

const base = { PLATFORM_API_KEY: 'p'.repeat(32), JWT_SECRET: 'j'.repeat(32), ANPI_SECRETS_KEY: `a:${Buffer.alloc(32, 1).toString('base64')}` };
const signer = (keys: string) => new AnswerTokenSigner(loadConfig({ ...base, ANSWER_TOKEN_KEYS: keys }));
const claims = {
  broadcastId: '0190f3c2-7b1e-7a00-8000-00000000abcd',
  recipientId: '0190f3c2-7b1e-7a00-8000-00000000ef01',
  expiresAt: new Date('2030-01-01T00:00:00Z'),
};

describe('AnswerTokenSigner', () => {
  const current = signer(`b:${'s'.repeat(40)},a:${'r'.repeat(40)}`);

  it('round-trips the claims in a 71-character, URL-safe token signed with the newest key', () => {
    const token = current.sign(claims);
    expect(token).toMatch(/^b[A-Za-z0-9_-]{70}$/);
    expect(current.verify(token)).toEqual({ ok: true, ...claims });
  });

  it('signs exactly as HMAC-SHA256 over the domain, key id and payload with the secret as UTF-8 (links already sent stay valid)', () => {
    const token = current.sign(claims);
    const bytes = Buffer.from(token.slice(1), 'base64url');
    const expected = createHmac('sha256', 's'.repeat(40)).update('anpi/answer/v1').update('b').update(bytes.subarray(0, 36)).digest().subarray(0, 16);
    expect(bytes.subarray(36).equals(expected)).toBe(true);
  });

  it('still accepts tokens signed with an older key, and refuses keys it does not know', () => {
    const old = signer(`a:${'r'.repeat(40)}`).sign(claims);
    expect(current.verify(old)).toMatchObject({ ok: true });
    expect(signer(`c:${'t'.repeat(40)}`).verify(old)).toEqual({ ok: false, reason: 'unknown_key' });
  });

  it('refuses a token with any character changed', () => {
    const token = current.sign(claims);
    for (let i = 1; i < token.length; i += 7) {
      const altered = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      expect(current.verify(altered)).toMatchObject({ ok: false });
    }
  });

  it('refuses expired, malformed and forged tokens', () => {
    expect(current.verify(current.sign({ ...claims, expiresAt: new Date(Date.now() - 1000) }))).toEqual({ ok: false, reason: 'expired' });
    expect(current.verify('short')).toEqual({ ok: false, reason: 'malformed' });
    expect(current.verify(`b${'A'.repeat(70)}`)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(signer(`b:${'x'.repeat(40)}`).verify(current.sign(claims))).toEqual({ ok: false, reason: 'bad_signature' });
  });
});
