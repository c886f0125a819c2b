import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** Signed events older (or newer) than this are refused: a captured request cannot be replayed later. */
export const MAX_EVENT_SKEW_SECONDS = 300;

/**
 * SendGrid's Event Webhook verification key as its settings page shows it (base64 DER,
 * SubjectPublicKeyInfo), or PEM. null when it is not an elliptic-curve public key.
 */
export function parseWebhookPublicKey(value: string): KeyObject | null {
  try {
    const text = value.trim();
    const key = text.includes('BEGIN PUBLIC KEY') ? createPublicKey(text) : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ec' ? key : null;
  } catch {
    return null;
  }
}

/**
 * SendGrid's signature: ECDSA (P-256, SHA-256, DER, base64) over the timestamp header's value
 * followed by the raw body, exactly as received.
 */
export function checkEventSignature(
  key: KeyObject,
  rawBody: Buffer,
  signature: string | undefined,
  timestamp: string | undefined,
  now = Date.now(),
): 'valid' | 'invalid' | 'stale' {
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return 'invalid';
  let valid: boolean;
  try {
    valid = verify('sha256', Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]), key, Buffer.from(signature, 'base64'));
  } catch {
    return 'invalid';
  }
  if (!valid) return 'invalid';
  return Math.abs(now / 1000 - Number(timestamp)) > MAX_EVENT_SKEW_SECONDS ? 'stale' : 'valid';
}
