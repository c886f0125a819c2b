import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PrismaService, TenantDirectory, type Role, type TenantStatus } from '#anpi/db';
import { AccessTokenSigner } from './access-token-signer.js';
import { ApiKeysService } from './api-keys.service.js';
import { TenantSuspendedException } from './errors.js';
import { parseOpaqueToken } from './opaque-token.js';
import type { TenantPrincipal } from './principal.js';
import { UnauthorizedError } from '#anpi/errors';

interface UserAccessRow {
  tenant_status: TenantStatus;
  suspended_reason: string | null;
  role: Role;
  disabled: boolean;
}

/**
 * Turns a bearer credential (access token or API key) into a principal, and refuses it when the
 * tenant is suspended or the user disabled since the token was issued.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly accessTokens: AccessTokenSigner,
    private readonly apiKeys: ApiKeysService,
    private readonly tenants: TenantDirectory,
    private readonly prisma: PrismaService,
  ) {}

  async authenticate(credential: string): Promise<TenantPrincipal> {
    if (credential.startsWith('anpi_sk_')) return this.byApiKey(credential);
    return this.byAccessToken(credential);
  }

  private async byAccessToken(token: string): Promise<TenantPrincipal> {
    const claims = await this.accessTokens.verify(token);
    if (!claims) throw unauthorized('The access token is invalid or expired');
    // One round trip, on the pool (every authenticated request, dashboards polling included, runs
    // it; through Prisma its query compilation cost more than the query): tenant status, and the
    // user's current role and state.
    const { rows } = await this.prisma.pool.query<UserAccessRow>('SELECT * FROM anpi_user_access($1::uuid, $2::uuid)', [claims.tenantId, claims.userId]);
    const row = rows[0];
    if (!row || row.disabled) throw unauthorized('The account no longer exists or is disabled');
    if (row.tenant_status === 'suspended') throw new TenantSuspendedException(row.suspended_reason);
    return { kind: 'user', tenantId: claims.tenantId, userId: claims.userId, role: row.role };
  }

  private async byApiKey(key: string): Promise<TenantPrincipal> {
    const parsed = parseOpaqueToken(key, 'sk');
    const tenant = parsed ? await this.tenants.byId(parsed.tenantId) : null;
    if (!parsed || !tenant) throw unauthorized('The API key is invalid or revoked');
    if (tenant.status === 'suspended') throw new TenantSuspendedException(tenant.suspendedReason);
    const principal = await this.apiKeys.authenticate(parsed);
    if (!principal) throw unauthorized('The API key is invalid or revoked');
    return principal;
  }
}

function unauthorized(message: string): UnauthorizedException {
  return new UnauthorizedError(message, 'unauthenticated');
}
