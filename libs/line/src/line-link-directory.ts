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
    // Straight on the pool, one round trip: every tap of a LINE button starts here.
    const { rows } = await this.prisma.pool.query<{ tenant_id: string; employee_id: string }>('SELECT tenant_id, employee_id FROM anpi_line_links($1, $2)', [
      channelKey,
      lineUserId,
    ]);
    return rows.map((r) => ({ tenantId: asTenantId(r.tenant_id), employeeId: r.employee_id }));
  }

  /** The links of many LINE users at once (a group of webhook events), in one round trip. */
  async linksOfMany(channelKey: string, lineUserIds: string[]): Promise<Map<string, LineLink[]>> {
    const links = new Map<string, LineLink[]>(lineUserIds.map((id) => [id, []]));
    if (!lineUserIds.length) return links;
    const { rows } = await this.prisma.pool.query<{ user_id: string; tenant_id: string; employee_id: string }>(
      'SELECT u.id AS user_id, l.tenant_id, l.employee_id FROM unnest($2::text[]) AS u(id) CROSS JOIN LATERAL anpi_line_links($1, u.id) l',
      [channelKey, lineUserIds],
    );
    for (const r of rows) links.get(r.user_id)?.push({ tenantId: asTenantId(r.tenant_id), employeeId: r.employee_id });
    return links;
  }
}
