import { Injectable } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { ChannelSettingsService } from '#anpi/channels';
import { TenantDb, ONE_SNAPSHOT, type Broadcast, type Prisma, type TenantId, type Tx } from '#anpi/db';
import type { DirectoryViewer } from '#anpi/directory';
import { broadcastView } from './broadcast-views.js';
import { stopPendingDeliveries } from './fanout/delivery-recorder.js';
import { VisibleTargets } from './visible-targets.js';
import { content } from './broadcast-content.js';
import type {
  BroadcastPage,
  BroadcastView,
  DeliveryPage,
  LineWorksProgressView,
  ListBroadcastsQuery,
  ListDeliveriesQuery,
  StateCounts,
} from './dto/broadcast.dto.js';
import { ConflictError, NotFoundError } from '#anpi/errors';

const STATES = ['pending', 'sent', 'failed', 'skipped', 'cancelled'] as const;

/** Reading and steering broadcasts: status and counts, deliveries, cancel, close. */
@Injectable()
export class BroadcastsService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditLog,
    private readonly channels: ChannelSettingsService,
  ) {}

  /** Newest first; a department head sees targets only as far as their own departments reach. */
  async list(viewer: DirectoryViewer, query: ListBroadcastsQuery): Promise<BroadcastPage> {
    const { tenantId } = viewer;
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    return this.db.run(
      tenantId,
      async (tx) => {
        const rows = await tx.broadcast.findMany({ where: { tenantId }, orderBy: { createdAt: 'desc' }, take: limit, skip: offset });
        const total = await tx.broadcast.count({ where: { tenantId } });
        const visible = await VisibleTargets.for(
          tx,
          viewer,
          rows.map((b) => content.targets(b.targets)),
        );
        return { items: rows.map((b) => broadcastView(b, undefined, visible.view(content.targets(b.targets)))), total, limit, offset };
      },
      ONE_SNAPSHOT,
    );
  }

  async get(viewer: DirectoryViewer, id: string): Promise<BroadcastView> {
    const { tenantId } = viewer;
    return this.db.run(tenantId, async (tx) => {
      const broadcast = await this.find(tx, tenantId, id);
      const targets = content.targets(broadcast.targets);
      const visible = await VisibleTargets.for(tx, viewer, [targets]);
      const counts = await this.counts(tx, broadcast);
      const view = broadcastView(broadcast, counts, visible.view(targets));
      if (counts.lineworks) view.lineworksProgress = await this.lineworksProgress(tx, tenantId, broadcast, counts.lineworks);
      return view;
    });
  }

  /**
   * LINE WORKS goes out at the tenant's rate (240 a minute on paid plans): a 1,000-person company
   * takes about four minutes, so the view says when the part still pending should be done. The
   * last accepted send is when it finished.
   */
  private async lineworksProgress(tx: Tx, tenantId: TenantId, broadcast: Broadcast, counts: StateCounts): Promise<LineWorksProgressView> {
    const { lineworks } = await this.channels.resolve(tx, tenantId);
    const ratePerMinute = lineworks?.ratePerMinute ?? 0;
    const last = await tx.delivery.aggregate({
      where: { tenantId, broadcastId: broadcast.id, channel: 'lineworks', state: 'sent' },
      _max: { updatedAt: true },
    });
    return {
      pending: counts.pending,
      ratePerMinute,
      expectedDoneAt: counts.pending > 0 && ratePerMinute > 0 ? new Date(Date.now() + Math.ceil((counts.pending * 60_000) / ratePerMinute)) : null,
      lastSentAt: last._max.updatedAt,
    };
  }

  async deliveries(tenantId: TenantId, id: string, query: ListDeliveriesQuery): Promise<DeliveryPage> {
    const limit = query.limit ?? 20;
    const offset = query.offset ?? 0;
    return this.db.run(
      tenantId,
      async (tx) => {
        await this.find(tx, tenantId, id);
        const where: Prisma.DeliveryWhereInput = { tenantId, broadcastId: id, state: query.state, channel: query.channel };
        const rows = await tx.delivery.findMany({
          where,
          include: { recipient: true },
          orderBy: [{ recipient: { seq: 'asc' } }, { channel: 'asc' }, { contactIndex: 'asc' }],
          take: limit,
          skip: offset,
        });
        const total = await tx.delivery.count({ where });
        return {
          items: rows.map((d) => ({
            id: d.id,
            channel: d.channel,
            state: d.state,
            recipientId: d.recipientId,
            employeeId: d.recipient.employeeId,
            name: d.recipient.name,
            department: d.recipient.departmentName,
            address:
              d.channel === 'email'
                ? (d.recipient.emails[d.contactIndex] ?? null)
                : d.channel === 'sms'
                  ? (d.recipient.mobiles[d.contactIndex] ?? null)
                  : d.channel === 'lineworks'
                    ? d.recipient.lineworksId
                    : null,
            attempts: d.attempts,
            error: d.error,
            providerMessageId: d.providerMessageId,
            sentAt: d.sentAt,
            emailProvider: d.emailProvider,
            providerEvent: d.providerEvent,
            providerEventNote: d.providerEventNote,
            deliveredAt: d.deliveredAt,
          })),
          total,
          limit,
          offset,
        };
      },
      ONE_SNAPSHOT,
    );
  }

  /** Stops what has not been sent yet. Deliveries already with a provider are not recalled. */
  async cancel(tenantId: TenantId, actor: Actor, id: string): Promise<BroadcastView> {
    return this.db.run(tenantId, async (tx) => {
      const broadcast = await this.find(tx, tenantId, id, true);
      if (broadcast.status === 'completed')
        throw new ConflictError('already_completed', 'Every delivery of this broadcast has already been made; there is nothing left to cancel');
      if (broadcast.status === 'cancelled') return broadcastView(broadcast, await this.counts(tx, broadcast));
      const updated = await tx.broadcast.update({ where: { id }, data: { status: 'cancelled', cancelledAt: new Date() } });
      const stopped = await stopPendingDeliveries(tx, tenantId, id, 'broadcast cancelled');
      await this.audit.record(tx, tenantId, actor, {
        action: 'broadcast.cancel',
        resourceType: 'broadcast',
        resourceId: id,
        details: { stoppedDeliveries: stopped },
      });
      return broadcastView(updated, await this.counts(tx, updated));
    });
  }

  /** After closing, the answer page accepts no more answers. */
  async close(tenantId: TenantId, actor: Actor, id: string): Promise<BroadcastView> {
    return this.db.run(tenantId, async (tx) => {
      const broadcast = await this.find(tx, tenantId, id, true);
      if (broadcast.closedAt) return broadcastView(broadcast, await this.counts(tx, broadcast));
      const updated = await tx.broadcast.update({ where: { id }, data: { closedAt: new Date() } });
      await this.audit.record(tx, tenantId, actor, { action: 'broadcast.close', resourceType: 'broadcast', resourceId: id });
      return broadcastView(updated, await this.counts(tx, updated));
    });
  }

  private async counts(tx: Tx, broadcast: Broadcast): Promise<Record<string, StateCounts>> {
    const groups = await tx.delivery.groupBy({
      by: ['channel', 'state'],
      where: { tenantId: broadcast.tenantId, broadcastId: broadcast.id },
      _count: { _all: true },
    });
    const counts: Record<string, StateCounts> = {};
    for (const channel of broadcast.channels) counts[channel] = Object.fromEntries(STATES.map((s) => [s, 0])) as unknown as StateCounts;
    for (const g of groups) (counts[g.channel] ??= Object.fromEntries(STATES.map((s) => [s, 0])) as unknown as StateCounts)[g.state] = g._count._all;
    return counts;
  }

  private async find(tx: Tx, tenantId: TenantId, id: string, lock = false): Promise<Broadcast> {
    if (lock) await tx.$queryRaw`SELECT id FROM broadcasts WHERE id = ${id}::uuid AND tenant_id = ${tenantId}::uuid FOR UPDATE`;
    const broadcast = await tx.broadcast.findFirst({ where: { id, tenantId } });
    if (!broadcast) throw new NotFoundError(`Broadcast ${id} not found`);
    return broadcast;
  }
}
