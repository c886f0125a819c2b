import { Injectable } from '@nestjs/common';
import type { TenantId, Tx } from '#anpi/db';
import type { ChannelCounts, Counts, DepartmentCounts, TallyView } from './tally.types.js';

interface BaseRow {
  department_id: string | null;
  name: string | null;
  parent_id: string | null;
  path: string[] | null;
  targeted: number;
  delivered: number;
  opened: number;
  answered: number;
}

/**
 * The whole tally of a broadcast in three aggregate queries over its recipients: every department
 * rolled up through the tree (a recipient counts in each department of its ancestry path, and in
 * the company total: the path with a NULL appended), answers per question option, and per channel.
 */
@Injectable()
export class DepartmentTally {
  async compute(tx: Tx, tenantId: TenantId, broadcastId: string): Promise<TallyView> {
    const base = await tx.$queryRaw<BaseRow[]>`
      WITH r AS (
        SELECT r.department_path AS path, r.opened_at IS NOT NULL AS opened, r.answered_at IS NOT NULL AS answered,
               r.delivered_at IS NOT NULL AS delivered
        FROM recipients r WHERE r.tenant_id = ${tenantId}::uuid AND r.broadcast_id = ${broadcastId}::uuid
      ), t AS (
        SELECT d AS department_id, count(*)::int AS targeted, (count(*) FILTER (WHERE delivered))::int AS delivered,
               (count(*) FILTER (WHERE opened))::int AS opened, (count(*) FILTER (WHERE answered))::int AS answered
        FROM r CROSS JOIN LATERAL unnest(array_append(r.path, NULL::uuid)) AS d
        GROUP BY d
      )
      SELECT t.department_id::text, dep.name, dep.parent_id::text, dep.path::text[] AS path, t.targeted, t.delivered, t.opened, t.answered
      FROM t LEFT JOIN departments dep ON dep.id = t.department_id`;
    const options = await tx.$queryRaw<{ department_id: string | null; question: string; option: string; n: number }[]>`
      SELECT d::text AS department_id, q.key AS question, q.value AS option, count(*)::int AS n
      FROM recipients r
      CROSS JOIN LATERAL jsonb_each_text(coalesce(r.choices, '{}'::jsonb)) AS q
      CROSS JOIN LATERAL unnest(array_append(r.department_path, NULL::uuid)) AS d
      WHERE r.tenant_id = ${tenantId}::uuid AND r.broadcast_id = ${broadcastId}::uuid AND r.answered_at IS NOT NULL
      GROUP BY 1, 2, 3`;
    const channels = await tx.$queryRaw<{ channel: string; targeted: number; delivered: number; answered: number }[]>`
      SELECT x.channel::text AS channel,
             (count(DISTINCT x.recipient_id) FILTER (WHERE x.state <> 'skipped'))::int AS targeted,
             (count(DISTINCT x.recipient_id) FILTER (WHERE x.state = 'sent'))::int AS delivered,
             (count(DISTINCT x.recipient_id) FILTER (WHERE x.state = 'sent' AND r.answered_at IS NOT NULL))::int AS answered
      FROM deliveries x JOIN recipients r ON r.id = x.recipient_id
      WHERE x.tenant_id = ${tenantId}::uuid AND x.broadcast_id = ${broadcastId}::uuid
      GROUP BY 1`;

    const questions = new Map<string | null, Record<string, Record<string, number>>>();
    for (const o of options) {
      const byQuestion = questions.get(o.department_id) ?? {};
      (byQuestion[o.question] ??= {})[o.option] = o.n;
      questions.set(o.department_id, byQuestion);
    }
    const counts = (row: BaseRow | undefined, id: string | null): Counts => countsOf(row, questions.get(id) ?? {});
    const total = base.find((b) => b.department_id === null);
    return {
      broadcastId,
      computedAt: new Date().toISOString(),
      total: counts(total, null),
      departments: base
        .filter((b) => b.department_id !== null)
        .map(
          (b): DepartmentCounts => ({
            departmentId: b.department_id!,
            name: b.name ?? '(削除された部署 / deleted department)',
            parentId: b.parent_id,
            depth: b.path?.length ?? 1,
            path: b.path ?? [b.department_id!],
            ...counts(b, b.department_id),
          }),
        )
        .sort((a, b) => a.path.join('/').localeCompare(b.path.join('/'))),
      channels: Object.fromEntries(channels.map((c): [string, ChannelCounts] => [c.channel, { targeted: c.targeted, delivered: c.delivered, answered: c.answered }])),
    };
  }
}

export function countsOf(row: Pick<BaseRow, 'targeted' | 'delivered' | 'opened' | 'answered'> | undefined, questions: Record<string, Record<string, number>>): Counts {
  const targeted = row?.targeted ?? 0;
  const answered = row?.answered ?? 0;
  return {
    targeted,
    delivered: row?.delivered ?? 0,
    opened: row?.opened ?? 0,
    answered,
    unanswered: targeted - answered,
    answerRate: targeted ? Math.round((answered / targeted) * 1000) / 1000 : 0,
    questions,
  };
}
