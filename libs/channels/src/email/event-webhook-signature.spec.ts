import { generateKeyPairSync, sign } from 'node:crypto';
import { checkEventSignature, parseWebhookPublicKey } from './event-webhook-signature.js';

describe('SendGrid Event Webhook signature', () => {
  // The test vector of SendGrid's own Node.js helper (@sendgrid/eventwebhook): a key from its
  // Mail Settings page, a signature SendGrid made, its timestamp and the exact body.
  const SENDGRID_KEY = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==';
  const SENDGRID_SIGNATURE = 'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=';
  const SENDGRID_TIMESTAMP = '1588788367';
  const SENDGRID_BODY = Buffer.from(JSON.stringify({ category: 'example_payload', event: 'test_event', message_id: 'message_id' }));
  const atThatTime = Number(SENDGRID_TIMESTAMP) * 1000;

  it("verifies SendGrid's own test vector: the timestamp followed by the raw body", () => {
    const key = parseWebhookPublicKey(SENDGRID_KEY)!;
    expect(checkEventSignature(key, SENDGRID_BODY, SENDGRID_SIGNATURE, SENDGRID_TIMESTAMP, atThatTime)).toBe('valid');
  });

  it('refuses an altered body, another timestamp, a missing signature and garbage', () => {
    const key = parseWebhookPublicKey(SENDGRID_KEY)!;
    const altered = Buffer.from(SENDGRID_BODY.toString().replace('test_event', 'bounce'));
    expect(checkEventSignature(key, altered, SENDGRID_SIGNATURE, SENDGRID_TIMESTAMP, atThatTime)).toBe('invalid');
    expect(checkEventSignature(key, SENDGRID_BODY, SENDGRID_SIGNATURE, '1588788368', atThatTime)).toBe('invalid');
    expect(checkEventSignature(key, SENDGRID_BODY, undefined, SENDGRID_TIMESTAMP, atThatTime)).toBe('invalid');
    expect(checkEventSignature(key, SENDGRID_BODY, 'not base64 at all!', SENDGRID_TIMESTAMP, atThatTime)).toBe('invalid');
    expect(checkEventSignature(key, SENDGRID_BODY, SENDGRID_SIGNATURE, 'soon', atThatTime)).toBe('invalid');
  });

  it('refuses a good signature more than five minutes away from now', () => {
    const key = parseWebhookPublicKey(SENDGRID_KEY)!;
    expect(checkEventSignature(key, SENDGRID_BODY, SENDGRID_SIGNATURE, SENDGRID_TIMESTAMP, atThatTime + 299_000)).toBe('valid');
    expect(checkEventSignature(key, SENDGRID_BODY, SENDGRID_SIGNATURE, SENDGRID_TIMESTAMP, atThatTime + 301_000)).toBe('stale');
    expect(checkEventSignature(key, SENDGRID_BODY, SENDGRID_SIGNATURE, SENDGRID_TIMESTAMP)).toBe('stale');
  });

  it('reads the key as base64 DER or PEM, and nothing that is not an EC public key', () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const key = parseWebhookPublicKey(pem)!;
    const body = Buffer.from('[{"event":"delivered","sg_event_id":"x"}]');
    const signature = sign('sha256', Buffer.concat([Buffer.from('1700000000'), body]), pair.privateKey).toString('base64');
    expect(checkEventSignature(key, body, signature, '1700000000', 1_700_000_000_000)).toBe('valid');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    expect(parseWebhookPublicKey(rsa)).toBeNull();
    expect(parseWebhookPublicKey('not a key')).toBeNull();
  });
});
