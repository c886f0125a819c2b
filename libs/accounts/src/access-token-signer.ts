import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '#anpi/config';
import { asTenantId, isUuid, type Role, type TenantId } from '#anpi/db';

export interface AccessClaims {
  tenantId: TenantId;
  userId: string;
  role: Role;
}

const ISSUER = 'anpi';
const AUDIENCE = 'anpi-api';

/**
 * Short-lived HS256 access tokens, keyed by JWT_SECRET (given to the JWT module in AccountsModule).
 * Revocation is by their short life plus a per-request check.
 */
@Injectable()
export class AccessTokenSigner {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.accessTokenTtlSeconds;
  }

  sign(claims: AccessClaims): Promise<string> {
    return this.jwt.signAsync(
      { tid: claims.tenantId, role: claims.role, typ: 'access' },
      {
        subject: claims.userId,
        issuer: ISSUER,
        audience: AUDIENCE,
        expiresIn: this.config.accessTokenTtlSeconds,
        algorithm: 'HS256',
      },
    );
  }

  /** The claims of a valid token, or null for anything expired, altered or not ours. */
  async verify(token: string): Promise<AccessClaims | null> {
    try {
      const payload = await this.jwt.verifyAsync<{ sub?: string; tid?: string; role?: Role; typ?: string }>(token, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      if (payload.typ !== 'access' || !payload.sub || !isUuid(payload.sub) || !payload.tid || !isUuid(payload.tid) || !payload.role) return null;
      return { tenantId: asTenantId(payload.tid), userId: payload.sub, role: payload.role };
    } catch {
      return null;
    }
  }
}
