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
  answeredPartially: number;
}

type Figures = Pick<BaseRow, 'targeted' | 'delivered' | 'opened' | 'answered' | 'answeredPartially'>;
type LeafRow = Figures & { department_id: string | null; department_path: string[] };
type GroupRow = Omit<LeafRow, 'answeredPartially'> & { choices: Record<string, unknown> | null };

/**
 * The whole tally of a broadcast: every department rolled up through the tree (a recipient counts
 * in each department of its ancestry path, and in the company total), answers per question option,
 * and per channel. The database counts per recipient's own department (a thousand groups, not one
 * per recipient and ancestor); the roll-up through the tree happens here.
 */
@Injectable()
export class DepartmentTally {
  async compute(tx: Tx, tenantId: TenantId, broadcastId: string): Promise<TallyView> {
    // A tally of 100,000 recipients hashes a few hundred thousand rows: in memory, and by hashing.
    // Right after a fan-out the planner's statistics predate the broadcast's rows (they were
    // created seconds ago) and it picks a nested loop over 300,000 index probes, several times
    // slower; every query here reads a whole broadcast, for which hashing is the right plan. No
    // JIT: with nested loops priced out, plan costs pass its threshold and compiling took longer
    // (~120 ms a query) than these scans.
    await tx.$executeRaw`SELECT set_config('work_mem', '64MB', true), set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)`;
    // One pass over the recipients: per own department and distinct set of choices (a form has a
    // handful of questions, so a department has few distinct sets); options are counted from the
    // sets here.
    const groups = await tx.$queryRaw<GroupRow[]>`
      SELECT department_id::text, max(department_path)::text[] AS department_path, choices, count(*)::int AS targeted,
             count(delivered_at)::int AS delivered, count(opened_at)::int AS opened, count(answered_at)::int AS answered
      FROM recipients WHERE tenant_id = ${tenantId}::uuid AND broadcast_id = ${broadcastId}::uuid
        AND (location_check IS NULL OR location_check = 'in_area')
      GROUP BY department_id, choices`;
    // A current answer with a required question still empty is partial (the LINE one-tap, a
    // partial proxy answer): it counts as answered, and apart as answeredPartially.
    const [content] = await tx.$queryRaw<{ questions: { id: string; required?: boolean }[] }[]>`
      SELECT questions FROM broadcasts WHERE tenant_id = ${tenantId}::uuid AND id = ${broadcastId}::uuid`;
    const required = (content?.questions ?? []).filter((q) => q.required).map((q) => q.id);
    const leaves = new Map<string | null, LeafRow>();
    const leafOptions: { department_id: string | null; question: string; option: string; n: number }[] = [];
    for (const g of groups) {
      const leaf = leaves.get(g.department_id) ?? {
        department_id: g.department_id,
        department_path: g.department_path,
        targeted: 0,
        delivered: 0,
        opened: 0,
        answered: 0,
        answeredPartially: 0,
      };
      leaf.targeted += g.targeted;
      leaf.delivered += g.delivered;
      leaf.opened += g.opened;
      leaf.answered += g.answered;
      if (g.answered > 0 && required.some((id) => typeof g.choices?.[id] !== 'string')) leaf.answeredPartially += g.answered;
      leaves.set(g.department_id, leaf);
      if (g.answered === 0 || !g.choices) continue;
      for (const [question, option] of Object.entries(g.choices)) {
        if (typeof option === 'string') leafOptions.push({ department_id: g.department_id, question, option, n: g.answered });
      }
    }
    const channels = await tx.$queryRaw<{ channel: string; targeted: number; delivered: number; answered: number }[]>`
      SELECT g.channel::text AS channel, (count(*) FILTER (WHERE g.targeted))::int AS targeted,
             (count(*) FILTER (WHERE g.delivered))::int AS delivered, (count(*) FILTER (WHERE g.delivered AND r.answered_at IS NOT NULL))::int AS answered
      FROM (
        SELECT x.channel, x.recipient_id, bool_or(x.state <> 'skipped') AS targeted, bool_or(x.state = 'sent') AS delivered
        FROM deliveries x WHERE x.tenant_id = ${tenantId}::uuid AND x.broadcast_id = ${broadcastId}::uuid
        GROUP BY 1, 2
      ) g JOIN recipients r ON r.id = g.recipient_id AND r.broadcast_id = ${broadcastId}::uuid
        AND (r.location_check IS NULL OR r.location_check = 'in_area')
      GROUP BY 1`;

    const figures = new Map<string | null, Figures>();
    const pathOf = new Map<string | null, string[]>();
    for (const leaf of leaves.values()) {
      pathOf.set(leaf.department_id, leaf.department_path);
      for (const id of [...leaf.department_path, null]) {
        const f = figures.get(id) ?? { targeted: 0, delivered: 0, opened: 0, answered: 0, answeredPartially: 0 };
        f.targeted += leaf.targeted;
        f.delivered += leaf.delivered;
        f.opened += leaf.opened;
        f.answered += leaf.answered;
        f.answeredPartially += leaf.answeredPartially;
        figures.set(id, f);
      }
    }
    const ids = [...figures.keys()].filter((id): id is string => id !== null);
    const departments = await tx.$queryRaw<{ id: string; name: string; parent_id: string | null; path: string[] }[]>`
      SELECT id::text, name, parent_id::text, path::text[] FROM departments WHERE id = ANY(${ids}::uuid[])`;
    const departmentById = new Map(departments.map((d) => [d.id, d]));
    const base: BaseRow[] = [...figures].map(([id, f]) => {
      const dep = id === null ? undefined : departmentById.get(id);
      return { department_id: id, name: dep?.name ?? null, parent_id: dep?.parent_id ?? null, path: dep?.path ?? null, ...f };
    });
    const options: { department_id: string | null; question: string; option: string; n: number }[] = [];
    for (const o of leafOptions) {
      for (const id of [...(pathOf.get(o.department_id) ?? []), null]) options.push({ ...o, department_id: id });
    }

    const questions = new Map<string | null, Record<string, Record<string, number>>>();
    for (const o of options) {
      const byQuestion = questions.get(o.department_id) ?? {};
      const byOption = (byQuestion[o.question] ??= {});
      byOption[o.option] = (byOption[o.option] ?? 0) + o.n;
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
        .map((b): DepartmentCounts => ({
          departmentId: b.department_id!,
          name: b.name ?? '(削除された部署 / deleted department)',
          parentId: b.parent_id,
          depth: b.path?.length ?? 1,
          path: b.path ?? [b.department_id!],
          ...counts(b, b.department_id),
        }))
        .sort((a, b) => a.path.join('/').localeCompare(b.path.join('/'))),
      channels: Object.fromEntries(
        channels.map((c): [string, ChannelCounts] => [c.channel, { targeted: c.targeted, delivered: c.delivered, answered: c.answered }]),
      ),
    };
  }
}

export function countsOf(row: Figures | undefined, questions: Record<string, Record<string, number>>): Counts {
  const targeted = row?.targeted ?? 0;
  const answered = row?.answered ?? 0;
  return {
    targeted,
    delivered: row?.delivered ?? 0,
    opened: row?.opened ?? 0,
    answered,
    answeredPartially: row?.answeredPartially ?? 0,
    unanswered: targeted - answered,
    answerRate: targeted ? Math.round((answered / targeted) * 1000) / 1000 : 0,
    questions,
  };
}
