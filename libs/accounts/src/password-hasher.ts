import { Injectable } from '@nestjs/common';
import { hash, verify, type Options } from '@node-rs/argon2';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. The library's Algorithm enum is a
// `const enum` that isolated modules cannot read; 2 is its Argon2id.
const ARGON2ID = 2 as NonNullable<Options['algorithm']>;
const OPTIONS: Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

@Injectable()
export class PasswordHasher {
  // Verified against when the account does not exist, so an unknown email costs the same time
  // as a wrong password and the response time tells nothing.
  private readonly decoy = hash('anpi-decoy-password-never-valid', OPTIONS);

  hash(password: string): Promise<string> {
    return hash(password, OPTIONS);
  }

  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    const target = passwordHash ?? (await this.decoy);
    try {
      const ok = await verify(target, password);
      return ok && passwordHash !== null;
    } catch {
      return false;
    }
  }
}
