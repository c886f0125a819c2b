import { Injectable } from '@nestjs/common';
import { AutomaticBroadcasts } from '#anpi/alerts';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, ONE_SNAPSHOT, type AutoLaunch, type TenantId } from '#anpi/db';
import { ConflictError, NotFoundError } from '#anpi/errors';
import type { AutoLaunchPage, AutoLaunchView, ListAutoLaunchesQuery } from './dto/auto-launch.dto.js';

/** What automatic launch did in a tenant, and cancelling a launch still in its hold. */
@Injectable()
export class AutoLaunchesService {
  constructor(
    private readonly db: TenantDb,
    private readonly broadcasts: AutomaticBroadcasts,
    private readonly audit: AuditLog,
  ) {}

  list(tenantId: TenantId, query: ListAutoLaunchesQuery): Promise<AutoLaunchPage> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const where =
      query.state === 'pending' ? { tenantId, state: 'launched', launchAt: { gt: new Date() } } : query.state ? { tenantId, state: query.state } : { tenantId };
    return this.db.run(
      tenantId,
      async (tx) => {
        const rows = await tx.autoLaunch.findMany({ where, orderBy: { createdAt: 'desc' }, take: limit, skip: offset });
        const total = await tx.autoLaunch.count({ where });
        return { items: rows.map(autoLaunchView), total, limit, offset };
      },
      ONE_SNAPSHOT,
    );
  }

  /** An admin stops a pending automatic launch: nothing is sent. */
  cancel(tenantId: TenantId, actor: Actor, id: string): Promise<AutoLaunchView> {
    return this.db.run(tenantId, async (tx) => {
      const row = await tx.autoLaunch.findFirst({ where: { id, tenantId } });
      if (!row) throw NotFoundError.of('Automatic launch', id);
      if (row.state === 'cancelled') return autoLaunchView(row);
      if (row.state !== 'launched' || !row.broadcastId)
        throw new ConflictError('not_pending', `This automatic launch was ${row.state}; there is nothing to cancel`);
      if (!(await this.broadcasts.cancelHeld(tx, tenantId, row.broadcastId)))
        throw new ConflictError('already_sent', 'The hold is over and the alert has gone out; cancel or close the broadcast instead', {
          broadcastId: row.broadcastId,
        });
      const updated = await tx.autoLaunch.update({ where: { id }, data: { state: 'cancelled', reason: 'cancelled by an admin during the hold' } });
      await this.audit.record(tx, tenantId, actor, {
        action: 'auto_launch.cancel',
        resourceType: 'broadcast',
        resourceId: row.broadcastId,
        details: { autoLaunchId: id },
      });
      return autoLaunchView(updated);
    });
  }
}

export function autoLaunchView(r: AutoLaunch): AutoLaunchView {
  const left = Math.max(0, Math.ceil((r.launchAt.getTime() - Date.now()) / 1000));
  const pending = r.state === 'launched' && left > 0;
  return {
    id: r.id,
    eventKey: r.eventKey,
    kind: r.kind,
    drill: r.drill,
    state: r.state,
    pending,
    holdSecondsLeft: pending ? left : 0,
    reason: r.reason,
    title: r.title,
    broadcastId: r.broadcastId,
    ruleIds: r.ruleIds,
    telegramIds: r.telegramIds,
    prefectures: r.prefectures,
    levels: r.levels as Record<string, number>,
    launchAt: r.launchAt,
    createdAt: r.createdAt,
  };
}
