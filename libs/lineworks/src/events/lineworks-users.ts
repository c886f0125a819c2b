import { Injectable } from '@nestjs/common';
import { TenantDb, type TenantId } from '#anpi/db';

/**
 * Which employee a LINE WORKS user is. Callbacks name users by their internal user id, while anpi
 * sends to the id in the directory (often the login id, an address): an employee is found by that
 * id when it matches, or by what a verified 無事です tap taught (the tap's signed token names the
 * recipient, so its user id can be trusted to be theirs).
 */
@Injectable()
export class LineWorksUsers {
  constructor(private readonly db: TenantDb) {}

  async employeeOf(tenantId: TenantId, worksUserId: string): Promise<string | null> {
    const rows = await this.db.run(
      tenantId,
      (tx) => tx.$queryRaw<{ id: string }[]>`
        SELECT u.employee_id AS id FROM lineworks_users u
        JOIN employees e ON e.id = u.employee_id AND e.erased_at IS NULL
        WHERE u.tenant_id = ${tenantId}::uuid AND u.works_user_id = ${worksUserId}
        UNION ALL
        (SELECT e.id FROM employees e
         WHERE e.tenant_id = ${tenantId}::uuid AND e.erased_at IS NULL AND lower(coalesce(e.lineworks_id, e.emails[1])) = lower(${worksUserId})
         ORDER BY e.active DESC, e.code LIMIT 1)
        LIMIT 1`,
    );
    return rows[0]?.id ?? null;
  }

  async learn(tenantId: TenantId, worksUserId: string, employeeId: string): Promise<void> {
    await this.db.run(
      tenantId,
      (tx) => tx.$executeRaw`
        INSERT INTO lineworks_users (tenant_id, works_user_id, employee_id) VALUES (${tenantId}::uuid, ${worksUserId}, ${employeeId}::uuid)
        ON CONFLICT (tenant_id, works_user_id) DO UPDATE SET employee_id = EXCLUDED.employee_id, learned_at = now()`,
    );
  }
}
