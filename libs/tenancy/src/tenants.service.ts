import { Injectable } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { PlatformDb, asTenantId, isUniqueViolation, isUuid, type Tx } from '#anpi/db';
import { TenantView, type CreateTenantDto, type ListTenantsQuery, type SuspendTenantDto } from './dto/tenant.dto.js';
import { ConflictError, NotFoundError } from '#anpi/errors';

/** The platform operator's side of tenancy: opening, listing, suspending and reactivating tenants. */
@Injectable()
export class TenantsService {
  constructor(
    private readonly db: PlatformDb,
    private readonly audit: AuditLog,
  ) {}

  async create(actor: Actor, dto: CreateTenantDto): Promise<TenantView> {
    try {
      return await this.db.run(async (tx) => {
        const tenant = await tx.tenant.create({ data: { slug: dto.slug, name: dto.name } });
        await this.recordIn(tx, tenant.id, actor, 'tenant.create');
        return TenantView.from(tenant);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError('slug_taken', `The company code "${dto.slug}" is already in use`);
      }
      throw error;
    }
  }

  async list(query: ListTenantsQuery): Promise<TenantView[]> {
    const tenants = await this.db.run((tx) => tx.tenant.findMany({ where: { status: query.status }, orderBy: { createdAt: 'asc' } }));
    return tenants.map(TenantView.from);
  }

  async get(id: string): Promise<TenantView> {
    const tenant = isUuid(id) ? await this.db.run((tx) => tx.tenant.findUnique({ where: { id } })) : null;
    if (!tenant) throw NotFoundError.of('Tenant', id);
    return TenantView.from(tenant);
  }

  async suspend(actor: Actor, id: string, dto: SuspendTenantDto): Promise<TenantView> {
    return this.setStatus(actor, id, 'tenant.suspend', { status: 'suspended', suspendedReason: dto.reason, suspendedAt: new Date() });
  }

  async reactivate(actor: Actor, id: string): Promise<TenantView> {
    return this.setStatus(actor, id, 'tenant.reactivate', { status: 'active', suspendedReason: null, suspendedAt: null });
  }

  private async setStatus(
    actor: Actor,
    id: string,
    action: string,
    data: { status: 'active' | 'suspended'; suspendedReason: string | null; suspendedAt: Date | null },
  ): Promise<TenantView> {
    if (!isUuid(id)) throw NotFoundError.of('Tenant', id);
    return this.db.run(async (tx) => {
      const existing = await tx.tenant.findUnique({ where: { id } });
      if (!existing) throw NotFoundError.of('Tenant', id);
      const tenant = await tx.tenant.update({ where: { id }, data });
      await this.recordIn(tx, id, actor, action, data.suspendedReason ? { reason: data.suspendedReason } : undefined);
      return TenantView.from(tenant);
    });
  }

  /** The operator's actions are part of the tenant's own audit trail. */
  private async recordIn(tx: Tx, id: string, actor: Actor, action: string, details?: Record<string, unknown>) {
    const tenantId = asTenantId(id);
    await this.db.enterTenant(tx, tenantId);
    await this.audit.record(tx, tenantId, actor, { action, resourceType: 'tenant', resourceId: id, details });
  }
}
