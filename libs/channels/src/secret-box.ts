import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '#anpi/config';

/**
 * Channel secrets at rest: AES-256-GCM envelopes "v1.<key id>.<iv>.<tag>.<ciphertext>". The key
 * id travels with the value, so a new key (first in ANPI_SECRETS_KEY) encrypts while older keys
 * still decrypt what they sealed, until everything is re-saved.
 */
@Injectable()
export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  private readonly current: { id: string; key: Buffer };

  constructor(config: AppConfig) {
    this.keys = new Map(config.secretsKeys.map((k) => [k.id, k.key]));
    this.current = config.secretsKeys[0]!;
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', this.current.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  open(envelope: string): string {
    const [version, keyId, iv, tag, ciphertext] = envelope.split('.');
    const key = keyId ? this.keys.get(keyId) : undefined;
    if (version !== 'v1' || !key || !iv || !tag || ciphertext === undefined) throw new Error(`cannot open secret sealed with key "${keyId}"`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  keyIdOf(envelope: string): string | null {
    return envelope.split('.')[1] ?? null;
  }
}
