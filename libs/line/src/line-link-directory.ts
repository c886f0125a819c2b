import { Injectable } from '@nestjs/common';
import { PrismaService, asTenantId, type TenantId } from '#anpi/db';

export interface LineLink {
  tenantId: TenantId;
  employeeId: string;
}

/**
 * Which employees a LINE user is linked to on one channel: at most one per tenant, and on the
 * platform's shared account possibly several tenants (someone working for two customers). Found
 * through a SECURITY DEFINER lookup; everything after it runs inside each tenant.
 */
@Injectable()
export class LineLinkDirectory {
  constructor(private readonly prisma: PrismaService) {}

  async linksOf(channelKey: string, lineUserId: string): Promise<LineLink[]> {
    const rows = await this.prisma.$queryRaw<{ tenant_id: string; employee_id: string }[]>`SELECT * FROM anpi_line_links(${channelKey}, ${lineUserId})`;
    return rows.map((r) => ({ tenantId: asTenantId(r.tenant_id), employeeId: r.employee_id }));
  }
}
