import { Injectable } from '@nestjs/common';
import { TenantDb, fromJsonRow, isUuid, type Broadcast, type Recipient, type TenantId, GroupCommitQueue, type BatchLimits } from '#anpi/db';
import { TallyNotifier } from '#anpi/tallies';
import type { AnswerContext, LinkOutcome } from './answer-links.js';
import { FIXED_BROADCAST_COLUMNS } from './broadcast-content-cache.js';

/** A tap on an answer link whose broadcast (and so tenant) this process already knows. */
export interface PageView {
  tenantId: TenantId;
  /** The broadcast as cached: the columns fixed at launch come from it, the rest are read. */
  content: Broadcast;
  recipientId: string;
}

const DEFAULT_LIMITS: BatchLimits = { groupSize: 50, inFlight: 2 };
const UNKNOWN = { kind: 'unknown' } as const;

/**
 * Answer pages opened in groups: on the worst day every employee opens the page before answering,
 * as many requests as the answers, and each PostgreSQL round trip costs the api about as much CPU
 * as the rest of the view. The taps that arrive while earlier groups are being read go together in
 * one transaction sent as one simple query: the first openings recorded (one UPDATE) and every
 * recipient and broadcast read, then COMMIT. A group that fails as a whole rejects its views; the
 * caller then opens them one by one.
 */
@Injectable()
export class PageViewGroup {
  private readonly batches = new GroupCommitQueue<PageView & { key: string }, LinkOutcome<AnswerContext>>(
    (tenantId, group) => this.read(tenantId, group),
    DEFAULT_LIMITS,
    (item) => item.tenantId,
  );

  constructor(
    private readonly db: TenantDb,
    private readonly tallies: TallyNotifier,
  ) {}

  /** For tests: smaller groups, fewer in flight. */
  configure(limits: Partial<BatchLimits>): void {
    this.batches.configure(limits);
  }

  submit(view: PageView): Promise<LinkOutcome<AnswerContext>> {
    if (!isUuid(view.recipientId) || !isUuid(view.content.id)) return Promise.reject(new TypeError('answer link ids must be UUIDs'));
    return this.batches.submit({ ...view, key: view.recipientId });
  }

  private async read(tenantId: TenantId, group: PageView[]): Promise<{ results: LinkOutcome<AnswerContext>[]; afterwards: () => Promise<void> }> {
    // Ids written into the statement are UUIDs (checked in submit): they come out of verified
    // tokens and the cache of rows read from the database. A recipient counts only with the
    // broadcast its link names.
    const pairs = group.map((v) => `('${v.recipientId}'::uuid, '${v.content.id}'::uuid)`).join(',');
    // The update's effect is not visible to the read beside it: the page shows the row as it was.
    const rows = ((
      await this.db.once(
        tenantId,
        `WITH opened AS (
         UPDATE recipients SET opened_at = now()
         WHERE tenant_id = anpi_current_tenant() AND (id, broadcast_id) IN (${pairs}) AND opened_at IS NULL
         RETURNING id
       )
       SELECT to_jsonb(r) AS r, to_jsonb(b) - '{${FIXED_BROADCAST_COLUMNS.join(',')}}'::text[] AS b, r.id IN (SELECT id FROM opened) AS first
       FROM recipients r JOIN broadcasts b ON b.id = r.broadcast_id AND b.tenant_id = r.tenant_id
       WHERE r.tenant_id = anpi_current_tenant() AND (r.id, r.broadcast_id) IN (${pairs})`,
      )
    )?.rows ?? []) as { r: Record<string, unknown>; b: Record<string, unknown>; first: boolean }[];
    const found = new Map(rows.map((row) => [row.r.id as string, row]));
    const opened = new Set<string>();
    const results = group.map((view): LinkOutcome<AnswerContext> => {
      const row = found.get(view.recipientId);
      if (!row) return UNKNOWN;
      const recipient = fromJsonRow<Recipient>(row.r);
      if (row.first) opened.add(recipient.broadcastId);
      return { kind: 'found', value: { tenantId, broadcast: { ...view.content, ...fromJsonRow<Partial<Broadcast>>(row.b) }, recipient } };
    });
    return {
      results,
      afterwards: async () => {
        for (const broadcastId of opened) await this.tallies.changed(tenantId, broadcastId);
      },
    };
  }
}
