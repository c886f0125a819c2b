import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares a presented credential with the platform operator key in constant time, whatever their lengths. */
export class PlatformKey {
  private readonly digest: Buffer;

  constructor(key: string) {
    this.digest = digest(key);
  }

  matches(credential: string | null | undefined): boolean {
    return !!credential && timingSafeEqual(digest(credential), this.digest);
  }
}

// Equal-length digests, so the comparison is constant-time whatever the key's length.
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
