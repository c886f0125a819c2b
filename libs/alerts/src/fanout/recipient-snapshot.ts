import type { ResolvedChannels } from '#anpi/channels';
import { Prisma, type Broadcast, type Channel, type TenantId, type Tx } from '#anpi/db';
import { createDeliveries } from './deliveries.js';
import { content, type Targets } from '../broadcast-content.js';

/**
 * What the tenant's channels can reach: LINE user ids count only on the channel that issued them
 * (`lineChannelKey`); LINE WORKS ids only when the tenant has set LINE WORKS up.
 */
export interface ChannelReach {
  lineChannelKey: string | null;
  lineworks: boolean;
}

export function channelReach(channels: Pick<ResolvedChannels, 'line' | 'lineworks'>): ChannelReach {
  return { lineChannelKey: channels.line?.channelKey ?? null, lineworks: channels.lineworks !== null };
}

/**
 * Freezes who an alert goes to, as they are now (name, department, contacts, LINE link). An alert
 * that does not go out on LINE gets all its deliveries here; a LINE alert's are created after (see
 * lineFirst). A few statements whatever the size; running it again adds nothing. A LINE user id
 * counts only on the channel that issued it (`lineChannelKey`, the channel this alert goes out
 * on): after a tenant changes channels, old links are not used.
 */
export async function snapshotRecipients(tx: Tx, tenantId: TenantId, broadcast: Broadcast, reach: ChannelReach): Promise<number> {
  const inserted = await addRecipients(tx, tenantId, broadcast, content.targets(broadcast.targets), reach);
  const escalation = broadcast.escalation as { order: Channel[] } | null;
  if (!escalation) {
    if (!lineFirst(broadcast)) {
      for (const channel of broadcast.channels) await createDeliveries(tx, { broadcastId: broadcast.id, round: 0, channel, unansweredOnly: false });
    }
  } else {
    // One channel at a time: the first now, and the next one at once for those the first cannot reach.
    const [first, second] = escalation.order;
    await createDeliveries(tx, { broadcastId: broadcast.id, round: 0, channel: first!, unansweredOnly: false });
    if (second) await createDeliveries(tx, { broadcastId: broadcast.id, round: 0, channel: second, unansweredOnly: false, unreachableOn: first });
  }
  return inserted;
}

/**
 * LINE first, when the alert uses it (one multicast reaches 500 people, and it is what employees
 * read first): after the snapshot, LINE's deliveries to those it can reach are created a part at
 * a time (createLinePart), each part's multicasts queued as soon as it is committed, and only then
 * LINE's skipped ones and the other channels' (createRemainingDeliveries). An escalating alert
 * creates its first step whole in the snapshot.
 */
export function lineFirst(broadcast: Pick<Broadcast, 'channels' | 'escalation'>): boolean {
  return !broadcast.escalation && broadcast.channels.includes('line');
}

/**
 * The rest of a LINE-first alert's deliveries: LINE's skipped ones (those it cannot reach), then
 * the other channels' but `except` (created a part at a time before). Running it again adds nothing.
 */
export async function createRemainingDeliveries(
  tx: Tx,
  broadcast: Pick<Broadcast, 'id' | 'channels' | 'escalation'>,
  except: readonly Channel[] = [],
): Promise<void> {
  if (!lineFirst(broadcast)) return;
  await createDeliveries(tx, { broadcastId: broadcast.id, round: 0, channel: 'line', unansweredOnly: false, lineUnreachableOnly: true });
  for (const channel of broadcast.channels.filter((c) => c !== 'line' && !except.includes(c)))
    await createDeliveries(tx, { broadcastId: broadcast.id, round: 0, channel, unansweredOnly: false });
}

/**
 * Adds the employees `targets` reach that the broadcast does not have yet, as they are now;
 * numbered after those it has. The snapshot at launch, and a later telegram of the same quake
 * reaching more people, both come here. An employee works in their own work prefecture, or else
 * in that of their primary department or its nearest ancestor with one.
 */
export async function addRecipients(
  tx: Tx,
  tenantId: TenantId,
  broadcast: Pick<Broadcast, 'id'>,
  targets: Targets,
  reach: ChannelReach,
  /** 'asked': added by the location check, in the tally only once they say they are in the area. */
  locationCheck: 'asked' | null = null,
): Promise<number> {
  return tx.$executeRaw`
    WITH first_seq AS (SELECT coalesce(max(seq) + 1, 0) AS n FROM recipients WHERE broadcast_id = ${broadcast.id}::uuid),
    ${departmentPrefectures(tenantId, targets)}
    INSERT INTO recipients (id, tenant_id, broadcast_id, employee_id, employee_code, seq, name,
      department_id, department_name, department_path, locale, emails, mobiles, line_user_id, line_status, lineworks_id, location_check)
    SELECT anpi_uuid7(), e.tenant_id, ${broadcast.id}::uuid, e.id, e.code,
           ((SELECT n FROM first_seq) + row_number() OVER (ORDER BY e.code, e.id) - 1)::int,
           e.name, e.department_id, d.name, coalesce(d.path, '{}'), e.locale, e.emails, e.mobiles,
           CASE WHEN e.line_status = 'linked' AND e.line_channel_key = ${reach.lineChannelKey} THEN e.line_user_id END,
           CASE WHEN e.line_status = 'linked' AND e.line_channel_key IS DISTINCT FROM ${reach.lineChannelKey} THEN 'unlinked'
                ELSE e.line_status END::"LineStatus",
           CASE WHEN ${reach.lineworks} THEN ${lineworksTarget} END,
           ${locationCheck}::text
    ${targetedEmployees(tenantId, targets)}
    ON CONFLICT (broadcast_id, employee_id) DO NOTHING`;
}

/** How many employees `targets` reach now, how many each channel can reach, and how many none of `channels` can. */
export async function countTargeted(
  tx: Tx,
  tenantId: TenantId,
  targets: Targets,
  reach: ChannelReach,
  channels: readonly Channel[],
): Promise<{ total: number; line: number; email: number; sms: number; lineworks: number; none: number }> {
  const lineworks = Prisma.sql`(${reach.lineworks} AND ${lineworksTarget} IS NOT NULL)`;
  const rows = await tx.$queryRaw<{ total: bigint; line: bigint; email: bigint; sms: bigint; lineworks: bigint; none: bigint }[]>`
    WITH ${departmentPrefectures(tenantId, targets)}
    SELECT count(*) AS total,
           count(*) FILTER (WHERE ${lineReachable(reach.lineChannelKey)}) AS line,
           count(*) FILTER (WHERE cardinality(e.emails) > 0) AS email,
           count(*) FILTER (WHERE cardinality(e.mobiles) > 0) AS sms,
           count(*) FILTER (WHERE ${lineworks}) AS lineworks,
           count(*) FILTER (WHERE NOT (${channels.includes('line')} AND ${lineReachable(reach.lineChannelKey)})
                              AND NOT (${channels.includes('email')} AND cardinality(e.emails) > 0)
                              AND NOT (${channels.includes('sms')} AND cardinality(e.mobiles) > 0)
                              AND NOT (${channels.includes('lineworks')} AND ${lineworks})) AS none
    ${targetedEmployees(tenantId, targets)}`;
  const row = rows[0]!;
  return {
    total: Number(row.total),
    line: Number(row.line),
    email: Number(row.email),
    sms: Number(row.sms),
    lineworks: Number(row.lineworks),
    none: Number(row.none),
  };
}

/** The first employee (by code) `targets` reach: whose name the preview's personal messages carry. */
export async function firstTargeted(tx: Tx, tenantId: TenantId, targets: Targets): Promise<{ name: string; departmentName: string | null } | null> {
  const rows = await tx.$queryRaw<{ name: string; department_name: string | null }[]>`
    WITH ${departmentPrefectures(tenantId, targets)}
    SELECT e.name, d.name AS department_name
    ${targetedEmployees(tenantId, targets)}
    ORDER BY e.code LIMIT 1`;
  return rows[0] ? { name: rows[0].name, departmentName: rows[0].department_name } : null;
}

/** Where LINE WORKS messages go: the id set in the directory, or else the first email (LINE WORKS takes it as the login id). */
const lineworksTarget = Prisma.sql`coalesce(e.lineworks_id, e.emails[1])`;

function lineReachable(lineChannelKey: string | null): Prisma.Sql {
  return Prisma.sql`(e.line_status = 'linked' AND e.line_channel_key = ${lineChannelKey})`;
}

/** Each department's prefecture: its own, or its nearest ancestor's (only computed when areas are targeted). */
function departmentPrefectures(tenantId: TenantId, targets: Targets): Prisma.Sql {
  const work = targets.areas?.work ?? [];
  return Prisma.sql`department_prefectures AS (
      SELECT d.id, (SELECT a.prefecture FROM departments a WHERE a.id = ANY(d.path) AND a.prefecture IS NOT NULL
                    ORDER BY cardinality(a.path) DESC LIMIT 1) AS prefecture
      FROM departments d WHERE d.tenant_id = ${tenantId}::uuid AND cardinality(${work}::smallint[]) > 0
    )`;
}

/**
 * FROM and WHERE of the active employees `targets` reach (as e, with d their primary department);
 * an employee works in their own work prefecture, or else in that of their primary department or
 * its nearest ancestor with one.
 */
function targetedEmployees(tenantId: TenantId, targets: Targets): Prisma.Sql {
  const departmentIds = targets.departmentIds ?? [];
  const employeeIds = targets.employeeIds ?? [];
  const everyone = targets.all === true;
  const work = targets.areas?.work ?? [];
  const home = targets.areas?.home ?? [];
  return Prisma.sql`FROM employees e
    LEFT JOIN departments d ON d.id = e.department_id
    LEFT JOIN department_prefectures dp ON dp.id = e.department_id
    WHERE e.tenant_id = ${tenantId}::uuid AND e.active AND e.erased_at IS NULL
      AND (
        ${everyone}
        OR coalesce(e.work_prefecture, dp.prefecture) = ANY(${work}::smallint[])
        OR e.home_prefecture = ANY(${home}::smallint[])
        OR e.id = ANY(${employeeIds}::uuid[])
        OR EXISTS (
          SELECT 1 FROM departments t
          WHERE t.tenant_id = e.tenant_id AND t.path && ${departmentIds}::uuid[]
            AND (t.id = e.department_id OR t.id IN (SELECT x.department_id FROM employee_departments x WHERE x.employee_id = e.id))
        )
      )`;
}
