import type { Broadcast, TenantId, Tx } from '#anpi/db';
import { BATCH_SIZE } from './batches.js';

/**
 * Freezes who an alert goes to, as they are now (name, department, contacts, LINE link), and
 * creates one delivery per recipient and channel contact. Two statements per table, whatever the
 * size; running it again adds nothing.
 */
export async function snapshotRecipients(tx: Tx, tenantId: TenantId, broadcast: Broadcast): Promise<number> {
  const targets = broadcast.targets as { all?: true; departmentIds?: string[]; employeeIds?: string[] };
  const departmentIds = targets.departmentIds ?? [];
  const employeeIds = targets.employeeIds ?? [];
  const everyone = targets.all === true;
  const inserted = await tx.$executeRaw`
    INSERT INTO recipients (id, tenant_id, broadcast_id, employee_id, employee_code, seq, name, department_id, department_name, department_path, locale, emails, mobiles, line_user_id, line_status)
    SELECT gen_random_uuid(), e.tenant_id, ${broadcast.id}::uuid, e.id, e.code, (row_number() OVER (ORDER BY e.code, e.id) - 1)::int,
           e.name, e.department_id, d.name, coalesce(d.path, '{}'), e.locale, e.emails, e.mobiles,
           CASE WHEN e.line_status = 'linked' THEN e.line_user_id END, e.line_status
    FROM employees e
    LEFT JOIN departments d ON d.id = e.department_id
    WHERE e.tenant_id = ${tenantId}::uuid AND e.active AND e.erased_at IS NULL
      AND (
        ${everyone}
        OR e.id = ANY(${employeeIds}::uuid[])
        OR EXISTS (
          SELECT 1 FROM departments t
          WHERE t.tenant_id = e.tenant_id AND t.path && ${departmentIds}::uuid[]
            AND (t.id = e.department_id OR t.id IN (SELECT x.department_id FROM employee_departments x WHERE x.employee_id = e.id))
        )
      )
    ON CONFLICT (broadcast_id, employee_id) DO NOTHING`;

  for (const channel of broadcast.channels) {
    const size = BATCH_SIZE[channel];
    if (channel === 'line') {
      await tx.$executeRaw`
        INSERT INTO deliveries (id, tenant_id, broadcast_id, recipient_id, channel, contact_index, batch, state, error, updated_at)
        SELECT gen_random_uuid(), r.tenant_id, r.broadcast_id, r.id, 'line', 0, r.seq / ${size}::int,
               CASE WHEN r.line_user_id IS NOT NULL THEN 'pending' ELSE 'skipped' END::"DeliveryState",
               CASE WHEN r.line_user_id IS NOT NULL THEN NULL
                    WHEN r.line_status = 'unreachable' THEN 'LINE unreachable: the employee blocked or unfollowed the account'
                    ELSE 'LINE not linked' END,
               now()
        FROM recipients r WHERE r.broadcast_id = ${broadcast.id}::uuid
        ON CONFLICT (recipient_id, channel, contact_index, round) DO NOTHING`;
      continue;
    }
    const column = channel === 'email' ? 'emails' : 'mobiles';
    const none = channel === 'email' ? 'no email address registered' : 'no mobile number registered';
    await tx.$executeRawUnsafe(
      `INSERT INTO deliveries (id, tenant_id, broadcast_id, recipient_id, channel, contact_index, batch, state, error, updated_at)
       SELECT gen_random_uuid(), r.tenant_id, r.broadcast_id, r.id, $2::"Channel", c.i - 1, r.seq / $3::int, 'pending'::"DeliveryState", NULL, now()
       FROM recipients r CROSS JOIN LATERAL unnest(r.${column}) WITH ORDINALITY AS c(address, i)
       WHERE r.broadcast_id = $1::uuid
       UNION ALL
       SELECT gen_random_uuid(), r.tenant_id, r.broadcast_id, r.id, $2::"Channel", 0, r.seq / $3::int, 'skipped'::"DeliveryState", $4, now()
       FROM recipients r WHERE r.broadcast_id = $1::uuid AND cardinality(r.${column}) = 0
       ON CONFLICT (recipient_id, channel, contact_index, round) DO NOTHING`,
      broadcast.id,
      channel,
      size,
      none,
    );
  }
  return inserted;
}
