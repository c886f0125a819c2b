import { Injectable } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, type TenantId } from '#anpi/db';
import type { TenantSettingsView, UpdateTenantSettingsDto } from './dto/settings.dto.js';

const SETTINGS = { showLineProfileToMaintainers: true, headsSeeContacts: true } as const;

/** A tenant's own settings, managed by its admins; every change is audited with its values. */
@Injectable()
export class TenantSettingsService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditLog,
  ) {}

  get(tenantId: TenantId): Promise<TenantSettingsView> {
    return this.db.run(tenantId, (tx) => tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: SETTINGS }));
  }

  update(tenantId: TenantId, actor: Actor, dto: UpdateTenantSettingsDto): Promise<TenantSettingsView> {
    return this.db.run(tenantId, async (tx) => {
      const settings = await tx.tenant.update({ where: { id: tenantId }, data: dto, select: SETTINGS });
      await this.audit.record(tx, tenantId, actor, { action: 'settings.update', resourceType: 'tenant', resourceId: tenantId, details: { ...dto } });
      return settings;
    });
  }
}
