import { setTimeout } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, TenantDirectory, type TenantId, type Tx, type User } from '#anpi/db';
import { AccessTokenSigner } from './access-token-signer.js';
import type { LoginDto, TokenPairView } from './dto/auth.dto.js';
import { InvalidCredentialsException, InvalidSessionException, TenantSuspendedException } from './errors.js';
import { LoginThrottle } from './login-throttle.js';
import { parseOpaqueToken } from './opaque-token.js';
import { PasswordHasher } from './password-hasher.js';
import { RefreshTokenStore } from './refresh-token-store.js';
import { InvalidInputError } from '#anpi/errors';

export interface ClientInfo {
  ip: string;
  requestId?: string;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly db: TenantDb,
    private readonly tenants: TenantDirectory,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly accessTokens: AccessTokenSigner,
    private readonly refreshTokens: RefreshTokenStore,
    private readonly audit: AuditLog,
  ) {}

  async login(dto: LoginDto, client: ClientInfo): Promise<TokenPairView> {
    const { delayMs } = await this.throttle.admit(dto.tenant, dto.email, client.ip);
    if (delayMs > 0) await setTimeout(delayMs);
    const tenant = await this.tenants.bySlug(dto.tenant);
    const user = tenant
      ? await this.db.run(tenant.id, (tx) => tx.user.findUnique({ where: { tenantId_email: { tenantId: tenant.id, email: dto.email } } }))
      : null;
    const usable = user && !user.disabledAt ? user : null;
    const ok = await this.hasher.verify(usable?.passwordHash ?? null, dto.password);

    if (!ok || !tenant || !usable) {
      const reached = await this.throttle.recordFailure(dto.tenant, dto.email, client.ip);
      if (tenant && user) {
        const actor: Actor = { type: 'user', id: user.id, requestId: client.requestId };
        await this.db.run(tenant.id, async (tx) => {
          await this.audit.record(tx, tenant.id, actor, {
            action: 'auth.login_failed',
            resourceType: 'user',
            resourceId: user.id,
            details: { reason: user.disabledAt ? 'disabled' : 'wrong_password', address: client.ip },
          });
          // Each limit reached is on record once per window: refused from an address, or slowed.
          for (const event of reached) {
            await this.audit.record(tx, tenant.id, actor, {
              action: event.scope === 'account' ? 'auth.login_slowed' : 'auth.login_throttled',
              resourceType: 'user',
              resourceId: user.id,
              details: { ...event, address: client.ip },
            });
          }
        });
      }
      throw new InvalidCredentialsException();
    }
    // Only someone who knows the password learns that the tenant is suspended.
    if (tenant.status === 'suspended') throw new TenantSuspendedException(tenant.suspendedReason);

    await this.throttle.recordSuccess(dto.tenant, dto.email, client.ip);
    const actor: Actor = { type: 'user', id: usable.id, requestId: client.requestId };
    return this.db.run(tenant.id, async (tx) => {
      await tx.user.update({ where: { id: usable.id }, data: { lastLoginAt: new Date() } });
      await this.audit.record(tx, tenant.id, actor, { action: 'auth.login', resourceType: 'user', resourceId: usable.id });
      return this.tokenPair(tx, tenant.id, usable);
    });
  }

  async refresh(refreshToken: string, client: ClientInfo): Promise<TokenPairView> {
    const parsed = parseOpaqueToken(refreshToken, 'rt');
    if (!parsed) throw new InvalidSessionException();
    const tenant = await this.tenants.byId(parsed.tenantId);
    if (!tenant) throw new InvalidSessionException();
    if (tenant.status === 'suspended') throw new TenantSuspendedException(tenant.suspendedReason);

    const outcome = await this.db.run(tenant.id, async (tx) => {
      const result = await this.refreshTokens.rotate(tx, tenant.id, parsed.hash);
      if (result.kind === 'reused') {
        const revoked = await this.refreshTokens.revokeFamily(tx, tenant.id, result.familyId, 'reuse_detected');
        await this.audit.record(
          tx,
          tenant.id,
          { type: 'user', id: result.userId, requestId: client.requestId },
          {
            action: 'auth.refresh_reuse_detected',
            resourceType: 'user',
            resourceId: result.userId,
            details: { revokedSessions: revoked },
          },
        );
        return null;
      }
      if (result.kind === 'invalid') return null;
      const access = await this.accessTokens.sign({ tenantId: tenant.id, userId: result.user.id, role: result.user.role });
      return view(tenant.id, result.user, access, this.accessTokens.ttlSeconds, result.token, result.expiresAt);
    });
    // Thrown after the transaction so the family's revocation above is committed, not rolled back.
    if (!outcome) throw new InvalidSessionException();
    return outcome;
  }

  /** Ends the session the token belongs to. Unknown or already revoked tokens end nothing, quietly. */
  async logout(refreshToken: string, client: ClientInfo): Promise<void> {
    const parsed = parseOpaqueToken(refreshToken, 'rt');
    if (!parsed || !(await this.tenants.byId(parsed.tenantId))) return;
    await this.db.run(parsed.tenantId, async (tx) => {
      const token = await this.refreshTokens.find(tx, parsed.hash);
      if (!token) return;
      const revoked = await this.refreshTokens.revokeFamily(tx, parsed.tenantId, token.familyId, 'logout');
      if (revoked > 0) {
        await this.audit.record(
          tx,
          parsed.tenantId,
          { type: 'user', id: token.userId, requestId: client.requestId },
          {
            action: 'auth.logout',
            resourceType: 'user',
            resourceId: token.userId,
          },
        );
      }
    });
  }

  async changePassword(tenantId: TenantId, userId: string, current: string, next: string, actor: Actor): Promise<void> {
    const user = await this.db.run(tenantId, (tx) => tx.user.findFirst({ where: { id: userId, tenantId } }));
    if (!user || !(await this.hasher.verify(user.passwordHash, current))) {
      throw new InvalidInputError([{ field: 'currentPassword', reason: 'currentPassword is not the current password' }], 'Validation failed');
    }
    const passwordHash = await this.hasher.hash(next);
    await this.db.run(tenantId, async (tx) => {
      await tx.user.update({ where: { id: userId }, data: { passwordHash } });
      const ended = await this.refreshTokens.revokeAllOfUser(tx, tenantId, userId, 'password_changed');
      await this.audit.record(tx, tenantId, actor, {
        action: 'user.password_change',
        resourceType: 'user',
        resourceId: userId,
        details: { endedSessions: ended },
      });
    });
  }

  private async tokenPair(tx: Tx, tenantId: TenantId, user: User): Promise<TokenPairView> {
    const access = await this.accessTokens.sign({ tenantId, userId: user.id, role: user.role });
    const refresh = await this.refreshTokens.issue(tx, tenantId, user.id);
    return view(tenantId, user, access, this.accessTokens.ttlSeconds, refresh.token, refresh.expiresAt);
  }
}

function view(tenantId: TenantId, user: User, access: string, ttl: number, refresh: string, refreshExpiresAt: Date): TokenPairView {
  return {
    accessToken: access,
    tokenType: 'Bearer',
    expiresIn: ttl,
    refreshToken: refresh,
    refreshExpiresAt,
    user: { id: user.id, tenantId, email: user.email, name: user.name, role: user.role },
  };
}
