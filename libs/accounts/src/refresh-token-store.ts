import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '#anpi/config';
import type { RefreshToken, TenantId, Tx, User } from '#anpi/db';
import { mintOpaqueToken } from './opaque-token.js';

export type RotationOutcome =
  { kind: 'rotated'; user: User; token: string; expiresAt: Date } | { kind: 'reused'; familyId: string; userId: string } | { kind: 'invalid' };

/**
 * Refresh tokens rotate on every use. Presenting one that was already rotated means it was copied:
 * the whole family (every token descended from that login) is revoked.
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
    if (current.revokedAt) {
      return current.revokedReason === 'rotated' ? { kind: 'reused', familyId: current.familyId, userId: current.userId } : { kind: 'invalid' };
    }
    if (current.expiresAt <= new Date() || current.user.disabledAt) return { kind: 'invalid' };
    // Conditional update: of two concurrent refreshes with the same token, exactly one wins.
    const won = await tx.refreshToken.updateMany({
      where: { id: current.id, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: 'rotated' },
    });
    if (won.count === 0) return { kind: 'reused', familyId: current.familyId, userId: current.userId };
    const next = await this.issue(tx, tenantId, current.userId, current.familyId);
    return { kind: 'rotated', user: current.user, ...next };
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
