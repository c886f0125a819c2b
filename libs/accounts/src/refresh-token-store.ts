import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '#anpi/config';
import type { RefreshToken, TenantId, Tx, User } from '#anpi/db';
import { mintOpaqueToken } from './opaque-token.js';

/** How long a rotated token may still be presented without counting as reuse. */
export const ROTATION_GRACE_MS = 30_000;

export type RotationOutcome =
  { kind: 'rotated'; user: User; token: string; expiresAt: Date } | { kind: 'reused'; familyId: string; userId: string } | { kind: 'invalid' };

/**
 * Refresh tokens rotate on every use. Presenting one that was already rotated means it was copied:
 * the whole family (every token descended from that login) is revoked.
 *
 * Except within a short grace after its rotation, while the session is still live: a console tab
 * reloaded while its refresh was in flight (the browser drops the response with the new cookie),
 * or two tabs refreshing at once, present the token just rotated. They get a token of their own in
 * the same session instead of ending it (Okta's and Auth0's rotation offer the same leeway).
 */
@Injectable()
export class RefreshTokenStore {
  constructor(private readonly config: AppConfig) {}

  async issue(tx: Tx, tenantId: TenantId, userId: string, familyId: string = randomUUID()) {
    const { token, hash } = mintOpaqueToken('rt', tenantId);
    const expiresAt = new Date(Date.now() + this.config.refreshTokenTtlDays * 86_400_000);
    await tx.refreshToken.create({ data: { tenantId, userId, familyId, tokenHash: hash, expiresAt } });
    return { token, expiresAt };
  }

  async rotate(tx: Tx, tenantId: TenantId, hash: string): Promise<RotationOutcome> {
    const current = await tx.refreshToken.findUnique({ where: { tokenHash: hash }, include: { user: true } });
    if (!current || current.tenantId !== tenantId) return { kind: 'invalid' };
    const reused = { kind: 'reused', familyId: current.familyId, userId: current.userId } as const;
    if (current.revokedAt) {
      if (current.revokedReason !== 'rotated') return { kind: 'invalid' };
      if (!(await this.withinGrace(tx, tenantId, current.familyId, current.revokedAt))) return reused;
    }
    if (current.expiresAt <= new Date() || current.user.disabledAt) return { kind: 'invalid' };
    if (current.revokedAt) return this.successor(tx, tenantId, current);
    // Conditional update: of two concurrent refreshes with the same token, exactly one rotates it;
    // the other finds it rotated a moment ago, within the grace.
    const won = await tx.refreshToken.updateMany({
      where: { id: current.id, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: 'rotated' },
    });
    if (won.count === 0) return (await this.withinGrace(tx, tenantId, current.familyId, new Date())) ? this.successor(tx, tenantId, current) : reused;
    return this.successor(tx, tenantId, current);
  }

  private async successor(tx: Tx, tenantId: TenantId, current: RefreshToken & { user: User }): Promise<RotationOutcome> {
    const next = await this.issue(tx, tenantId, current.userId, current.familyId);
    return { kind: 'rotated', user: current.user, ...next };
  }

  /** Rotated moments ago, and the session (some token of its family) still live: not a copy. */
  private async withinGrace(tx: Tx, tenantId: TenantId, familyId: string, rotatedAt: Date): Promise<boolean> {
    if (Date.now() - rotatedAt.getTime() > ROTATION_GRACE_MS) return false;
    return (await tx.refreshToken.count({ where: { tenantId, familyId, revokedAt: null } })) > 0;
  }

  async find(tx: Tx, hash: string): Promise<RefreshToken | null> {
    return tx.refreshToken.findUnique({ where: { tokenHash: hash } });
  }

  async revokeFamily(tx: Tx, tenantId: TenantId, familyId: string, reason: string): Promise<number> {
    const result = await tx.refreshToken.updateMany({
      where: { tenantId, familyId, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: reason },
    });
    return result.count;
  }

  async revokeAllOfUser(tx: Tx, tenantId: TenantId, userId: string, reason: string): Promise<number> {
    const result = await tx.refreshToken.updateMany({
      where: { tenantId, userId, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: reason },
    });
    return result.count;
  }

  /** Tokens past their expiry (revoked or not) are kept a day for the reuse check, then removed. */
  async purgeExpired(tx: Tx, tenantId: TenantId, now = new Date()): Promise<number> {
    const result = await tx.refreshToken.deleteMany({
      where: { tenantId, expiresAt: { lt: new Date(now.getTime() - 86_400_000) } },
    });
    return result.count;
  }
}
