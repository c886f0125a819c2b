import { Injectable } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, type TenantId } from '#anpi/db';
import { ApiKeyView, CreatedApiKeyView, type CreateApiKeyDto } from './dto/api-key.dto.js';
import { mintOpaqueToken, type ParsedToken } from './opaque-token.js';
import type { TenantPrincipal } from './principal.js';
import { NotFoundError } from '#anpi/errors';

// Last-used times are for admins spotting stale keys; minute precision spares a write per request.
const LAST_USED_GRANULARITY_MS = 60_000;

/** Integrations' credentials: stored as hashes, shown once, limited to roles, revocable. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditLog,
  ) {}

  async create(tenantId: TenantId, actor: Actor, dto: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    const { token, hash } = mintOpaqueToken('sk', tenantId);
    const prefix = `${token.slice(0, 8)}…${token.slice(-4)}`;
    const key = await this.db.run(tenantId, async (tx) => {
      const created = await tx.apiKey.create({
        data: {
          tenantId,
          name: dto.name,
          prefix,
          keyHash: hash,
          roles: dto.roles,
          createdByUserId: actor.type === 'user' ? actor.id : null,
        },
      });
      await this.audit.record(tx, tenantId, actor, {
        action: 'api_key.create',
        resourceType: 'api_key',
        resourceId: created.id,
        details: { roles: dto.roles },
      });
      return created;
    });
    return { ...ApiKeyView.from(key), key: token };
  }

  async list(tenantId: TenantId): Promise<ApiKeyView[]> {
    const keys = await this.db.run(tenantId, (tx) => tx.apiKey.findMany({ where: { tenantId }, orderBy: { createdAt: 'desc' } }));
    return keys.map(ApiKeyView.from);
  }

  async revoke(tenantId: TenantId, actor: Actor, id: string): Promise<void> {
    await this.db.run(tenantId, async (tx) => {
      const result = await tx.apiKey.updateMany({ where: { tenantId, id, revokedAt: null }, data: { revokedAt: new Date() } });
      if (result.count === 0) {
        const exists = await tx.apiKey.count({ where: { tenantId, id } });
        if (!exists) throw NotFoundError.of('API key', id);
        return; // already revoked: revoking again changes nothing
      }
      await this.audit.record(tx, tenantId, actor, { action: 'api_key.revoke', resourceType: 'api_key', resourceId: id });
    });
  }

  /** The principal of a live key, or null for anything unknown or revoked. */
  async authenticate(parsed: ParsedToken): Promise<TenantPrincipal | null> {
    return this.db.run(parsed.tenantId, async (tx) => {
      const key = await tx.apiKey.findUnique({ where: { keyHash: parsed.hash } });
      if (!key || key.revokedAt || key.tenantId !== parsed.tenantId) return null;
      if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
        await tx.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } });
      }
      return { kind: 'api_key', tenantId: parsed.tenantId, apiKeyId: key.id, roles: key.roles };
    });
  }
}
