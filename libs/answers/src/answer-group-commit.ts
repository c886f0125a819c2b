import { Injectable } from '@nestjs/common';
import { TenantDb, fromJsonRow, isUuid, type Broadcast, type Recipient, type Sql, type TenantId, GroupCommitQueue, type BatchLimits } from '#anpi/db';
import { TallyNotifier } from '#anpi/tallies';
import type { AnswerContext, LinkOutcome } from './answer-links.js';
import { judgeAnswer, type AnsweredByLink } from './answer-outcome.js';
import type { AnswerInput, ValidAnswer } from './answer-validator.js';
import { writeAnswers } from './answer-writer.js';
import { FIXED_BROADCAST_COLUMNS } from './broadcast-content-cache.js';

/** An answer from a verified link whose broadcast (and so tenant) this process already knows. */
export interface LinkAnswer {
  tenantId: TenantId;
  /** The broadcast as cached: the columns fixed at launch are taken from it, the rest read with the group. */
  content: Broadcast;
  recipientId: string;
  input: AnswerInput;
  submissionKey: string;
}

const DEFAULT_LIMITS: BatchLimits = { groupSize: 50, inFlight: 2 };
const UNKNOWN = { kind: 'unknown' } as const;

/**
 * Answers from links written in groups (group commit): the answers that arrive while earlier
 * groups are being written go together in one transaction — one round trip reads their recipients
 * and the broadcast's live state, one statement writes them all, one commits. On the worst day
 * thousands of employees answer a second, and a transaction per answer spent most of the
 * database's and the api's time on round trips and commits, not on the answers. Nothing waits for
 * a timer: with no group in flight an answer is written at once, alone; under load the groups
 * grow. Each answer's response still waits for its own group's commit.
 *
 * A recipient is in at most one group in flight (a second answer waits for the next group), so
 * groups never wait on each other's row locks. A group that fails as a whole rejects every answer
 * in it; the caller writes them one by one instead (the submission key makes a retried write count
 * once).
 */
@Injectable()
export class AnswerGroupCommit {
  private readonly batches = new GroupCommitQueue<LinkAnswer & { key: string }, LinkOutcome<AnsweredByLink>>(
    (tenantId, group) => this.write(tenantId, group),
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

  submit(answer: LinkAnswer): Promise<LinkOutcome<AnsweredByLink>> {
    if (!isUuid(answer.recipientId) || !isUuid(answer.content.id)) return Promise.reject(new TypeError('answer link ids must be UUIDs'));
    return this.batches.submit({ ...answer, key: answer.recipientId });
  }

  private async write(tenantId: TenantId, group: LinkAnswer[]): Promise<{ results: LinkOutcome<AnsweredByLink>[]; afterwards: () => Promise<void> }> {
    // Ids written into the statement are UUIDs (checked in submit): they come out of verified
    // tokens and the database.
    const read = `SELECT to_jsonb(r) AS r, to_jsonb(b) - '{${FIXED_BROADCAST_COLUMNS.join(',')}}'::text[] AS b
      FROM recipients r JOIN broadcasts b ON b.id = r.broadcast_id AND b.tenant_id = r.tenant_id
      WHERE r.tenant_id = anpi_current_tenant() AND r.id IN (${group.map((a) => `'${a.recipientId}'::uuid`).join(',')})`;
    const { outcomes, changed } = await this.db.sql(tenantId, (sql, rows) => this.record(sql, tenantId, group, rows), { firstRead: read });
    return {
      results: outcomes,
      afterwards: async () => {
        for (const broadcastId of changed) await this.tallies.changed(tenantId, broadcastId);
      },
    };
  }

  private async record(
    sql: Sql,
    tenantId: TenantId,
    group: LinkAnswer[],
    rows: Record<string, unknown>[],
  ): Promise<{ outcomes: LinkOutcome<AnsweredByLink>[]; changed: Set<string> }> {
    const found = new Map<string, { recipient: Recipient; live: Partial<Broadcast> }>();
    for (const row of rows as { r: Record<string, unknown>; b: Record<string, unknown> }[]) {
      const recipient = fromJsonRow<Recipient>(row.r);
      found.set(recipient.id, { recipient, live: fromJsonRow<Partial<Broadcast>>(row.b) });
    }
    const outcomes: LinkOutcome<AnsweredByLink>[] = [];
    const valid: { index: number; ctx: AnswerContext; answer: ValidAnswer; key: string }[] = [];
    for (const [index, answer] of group.entries()) {
      const match = found.get(answer.recipientId);
      if (!match || match.recipient.broadcastId !== answer.content.id) {
        outcomes[index] = UNKNOWN;
        continue;
      }
      const ctx: AnswerContext = { tenantId, broadcast: { ...answer.content, ...match.live }, recipient: match.recipient };
      const judged = judgeAnswer(ctx.broadcast, answer.input);
      if (judged.status === 'valid') valid.push({ index, ctx, answer: judged.answer, key: answer.submissionKey });
      else outcomes[index] = { kind: 'found', value: { ctx, outcome: judged } };
    }
    const changed = new Set<string>();
    if (valid.length === 0) return { outcomes, changed };

    const stored = await writeAnswers(
      sql,
      tenantId,
      valid.map(({ ctx, answer, key }) => ({
        broadcastId: ctx.broadcast.id,
        recipientId: ctx.recipient.id,
        answer,
        source: 'self' as const,
        enteredById: null,
        submissionKey: key,
      })),
    );
    for (const { index, ctx } of valid) {
      const row = stored.get(ctx.recipient.id);
      if (!row) throw new Error('an answer of the group was neither written nor found');
      const { fresh, ...answer } = row;
      if (fresh) changed.add(ctx.broadcast.id);
      outcomes[index] = { kind: 'found', value: { ctx, outcome: { status: 'recorded', answer, duplicate: !fresh } } };
    }
    return { outcomes, changed };
  }
}
