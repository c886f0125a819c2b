import { randomUUID } from 'node:crypto';
import { PasswordHasher } from '#anpi/accounts';
import { AuditLog, SYSTEM_ACTOR } from '#anpi/audit';
import type { AppConfig } from '#anpi/config';
import { PlatformDb, PrismaService, TenantDb, asTenantId, type TenantId } from '#anpi/db';
import { DEMO_HEAD_DEPARTMENT, DEMO_PASSWORD, DEMO_TENANT, DEMO_USERS, DEPARTMENTS, EMPLOYEES } from './company.js';

/**
 * Seeds the demo company through the same tenant-scoped data layer the api uses (as the
 * application role, under row-level security). Does nothing when the demo tenant exists.
 */
export async function seedDemo(config: AppConfig): Promise<{ created: boolean; tenantId: TenantId }> {
  const prisma = new PrismaService(config);
  const platform = new PlatformDb(prisma);
  const db = new TenantDb(prisma);
  const audit = new AuditLog(db);
  try {
    const existing = await platform.run((tx) => tx.tenant.findUnique({ where: { slug: DEMO_TENANT.slug } }));
    if (existing) return { created: false, tenantId: asTenantId(existing.id) };

    const passwordHash = await new PasswordHasher().hash(DEMO_PASSWORD);
    const tenantId = await platform.run(async (tx) => {
      const tenant = await tx.tenant.create({ data: DEMO_TENANT });
      const id = asTenantId(tenant.id);
      await platform.enterTenant(tx, id);
      await audit.record(tx, id, SYSTEM_ACTOR, { action: 'tenant.create', resourceType: 'tenant', resourceId: id, details: { demo: true } });
      return id;
    });

    await db.run(tenantId, async (tx) => {
      await tx.user.createMany({ data: DEMO_USERS.map((u) => ({ tenantId, ...u, passwordHash })) });
      const ids = new Map<string, string>();
      const paths = new Map<string, string[]>();
      for (const d of DEPARTMENTS) {
        const id = randomUUID();
        const parentId = d.parent ? ids.get(d.parent)! : null;
        const path = [...(d.parent ? paths.get(d.parent)! : []), id];
        ids.set(d.code, id);
        paths.set(d.code, path);
        await tx.department.create({ data: { id, tenantId, code: d.code, name: d.name, parentId, path } });
      }
      const head = await tx.user.findFirstOrThrow({ where: { tenantId, role: 'department_head' } });
      await tx.userDepartment.create({ data: { tenantId, userId: head.id, departmentId: ids.get(DEMO_HEAD_DEPARTMENT)! } });
      await tx.employee.createMany({
        data: EMPLOYEES.map((e) => ({
          tenantId,
          code: e.code,
          name: e.name,
          kana: e.kana,
          departmentId: ids.get(e.departmentCode)!,
          locale: e.locale,
          emails: [e.email],
          mobiles: e.mobile ? [e.mobile] : [],
          lineUserId: e.lineUserId,
          lineDisplayName: e.lineUserId ? e.name.split(' ')[1] : null,
          lineStatus: e.lineUserId ? 'linked' : 'unlinked',
          lineChannelKey: e.lineUserId ? 'platform' : null,
          lineLinkedAt: e.lineUserId ? new Date() : null,
        })),
      });
      await audit.record(tx, tenantId, SYSTEM_ACTOR, {
        action: 'directory.seed',
        resourceType: 'tenant',
        resourceId: tenantId,
        details: { departments: DEPARTMENTS.length, employees: EMPLOYEES.length, users: DEMO_USERS.length },
      });
    });
    return { created: true, tenantId };
  } finally {
    await prisma.$disconnect();
  }
}
