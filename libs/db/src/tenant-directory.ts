import { Injectable } from '@nestjs/common';
import type { TenantStatus } from './generated/prisma/client.js';
import { PrismaService } from './prisma.service.js';
import { asTenantId, isUuid, type TenantId } from './tenant-id.js';

export interface TenantAccess {
  id: TenantId;
  status: TenantStatus;
  suspendedReason: string | null;
}

interface Row {
  id: string;
  status: TenantStatus;
  suspended_reason: string | null;
}

/**
 * The two lookups that happen before a tenant context exists (logging in by the tenant's code,
 * checking a token's tenant is still active). They go through SECURITY DEFINER functions that
 * return one tenant's id and status and nothing else.
 */
@Injectable()
export class TenantDirectory {
  constructor(private readonly prisma: PrismaService) {}

  async bySlug(slug: string): Promise<TenantAccess | null> {
    const rows = await this.prisma.$queryRaw<Row[]>`SELECT * FROM anpi_tenant_by_slug(${slug})`;
    return rows[0] ? toAccess(rows[0]) : null;
  }

  async byId(id: string): Promise<TenantAccess | null> {
    if (!isUuid(id)) return null;
    const rows = await this.prisma.$queryRaw<Row[]>`SELECT * FROM anpi_tenant_access(${id}::uuid)`;
    return rows[0] ? toAccess(rows[0]) : null;
  }
}

function toAccess(row: Row): TenantAccess {
  return { id: asTenantId(row.id), status: row.status, suspendedReason: row.suspended_reason };
}
