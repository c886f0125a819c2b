import { Injectable } from '@nestjs/common';
import { Observable, concat, defer, from, map } from 'rxjs';
import { TenantDb, type TenantId } from '#anpi/db';
import { DepartmentScope, type DirectoryViewer } from '#anpi/directory';
import { DepartmentTally, countsOf } from './department-tally.js';
import { TallyCache } from './tally-cache.js';
import type { Counts, TallyView } from './tally.types.js';
import { ForbiddenError, NotFoundError } from '#anpi/errors';

/** A tally ready to send: JSON text, or the same gzipped. */
export interface TallyBody {
  body: string | Buffer;
  gzipped: boolean;
}

/**
 * Tallies as each viewer may see them. Reads come from the cache (recomputed after changes), so
 * they cost the same at 100 recipients or 100,000. Department heads see their subtrees only,
 * whatever they ask for; asking outside them is 403.
 */
@Injectable()
export class TallyService {
  constructor(
    private readonly db: TenantDb,
    private readonly tally: DepartmentTally,
    private readonly cache: TallyCache,
    private readonly scope: DepartmentScope,
  ) {}

  /**
   * The tally as JSON. The whole company's tally (an admin's dashboard, polled while an alert is
   * live) is half a megabyte at a thousand departments: it goes out as cached, gzipped when the
   * client accepts it, without being parsed and serialised again on every read.
   */
  async read(viewer: DirectoryViewer, broadcastId: string, departmentId: string | undefined, acceptsGzip: boolean): Promise<TallyBody> {
    if (viewer.tier === 'full') {
      // Found under the viewer's tenant, so the broadcast is theirs (see TallyCache): no database
      // round trip, which during a disaster would queue behind the answers for a pool connection.
      if (!departmentId) {
        const cached = acceptsGzip ? await this.cache.getGzip(viewer.tenantId, broadcastId) : await this.cache.getJson(viewer.tenantId, broadcastId);
        if (cached) return { body: cached, gzipped: acceptsGzip };
      } else {
        const cached = await this.cache.get(viewer.tenantId, broadcastId);
        if (cached) return { body: JSON.stringify(narrow(cached, null, departmentId)), gzipped: false };
      }
    }
    const visible = await this.visible(viewer, broadcastId, departmentId);
    return { body: JSON.stringify(narrow(await this.current(viewer.tenantId, broadcastId), visible, departmentId)), gzipped: false };
  }

  /** The tally now, then each recomputed one, for a live dashboard. */
  async stream(viewer: DirectoryViewer, broadcastId: string, departmentId?: string): Promise<Observable<TallyView>> {
    const visible = await this.visible(viewer, broadcastId, departmentId);
    return concat(
      defer(() => from(this.current(viewer.tenantId, broadcastId))),
      this.cache.watch(broadcastId),
    ).pipe(map((tally) => narrow(tally, visible, departmentId)));
  }

  private async current(tenantId: TenantId, broadcastId: string): Promise<TallyView> {
    const cached = await this.cache.get(tenantId, broadcastId);
    if (cached) return cached;
    const tally = await this.db.run(tenantId, (tx) => this.tally.compute(tx, tenantId, broadcastId), { timeout: 60_000 });
    await this.cache.put(tenantId, tally);
    return tally;
  }

  /** Department ids the answer may show (null: all), after checking the broadcast and the scope. */
  private async visible(viewer: DirectoryViewer, broadcastId: string, departmentId?: string): Promise<Set<string> | null> {
    if (viewer.tier === 'full') {
      // The dashboard's poll: one indexed lookup on the pool, no Prisma transaction.
      const [found] = await this.db.sql(viewer.tenantId, (sql) => sql('SELECT 1 FROM broadcasts WHERE id = $1::uuid', [broadcastId]));
      if (!found) throw NotFoundError.of('Broadcast', broadcastId);
      return null;
    }
    return this.db.run(viewer.tenantId, async (tx) => {
      const exists = await tx.broadcast.count({ where: { id: broadcastId, tenantId: viewer.tenantId } });
      if (!exists) throw NotFoundError.of('Broadcast', broadcastId);
      const ids = await this.scope.visibleIds(tx, viewer);
      if (ids && departmentId && !ids.includes(departmentId)) {
        throw new ForbiddenError('outside_your_departments', 'This department is outside the departments assigned to you');
      }
      return ids ? new Set(ids) : null;
    });
  }
}

/**
 * Keeps the departments the viewer may see (and that are under `departmentId`); the total becomes
 * the sum of the topmost of them, each of which already includes its sub-departments.
 */
function narrow(tally: TallyView, visible: Set<string> | null, departmentId?: string): TallyView {
  if (!visible && !departmentId) return tally;
  const departments = tally.departments.filter((d) => (!visible || visible.has(d.departmentId)) && (!departmentId || d.path.includes(departmentId)));
  const kept = new Set(departments.map((d) => d.departmentId));
  const tops = departments.filter((d) => !d.path.slice(0, -1).some((ancestor) => kept.has(ancestor)));
  return { ...tally, total: sum(tops), departments, channels: visible || departmentId ? {} : tally.channels };
}

function sum(parts: Counts[]): Counts {
  const questions: Record<string, Record<string, number>> = {};
  for (const part of parts) {
    for (const [question, options] of Object.entries(part.questions)) {
      for (const [option, n] of Object.entries(options)) (questions[question] ??= {})[option] = (questions[question][option] ?? 0) + n;
    }
  }
  const add = (k: 'targeted' | 'delivered' | 'opened' | 'answered' | 'answeredPartially') => parts.reduce((s, p) => s + (p[k] ?? 0), 0);
  return countsOf(
    { targeted: add('targeted'), delivered: add('delivered'), opened: add('opened'), answered: add('answered'), answeredPartially: add('answeredPartially') },
    questions,
  );
}
