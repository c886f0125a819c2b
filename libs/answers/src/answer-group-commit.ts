import { Injectable } from '@nestjs/common';
import { TenantDb, fromJsonRow, isUuid, type Broadcast, type Recipient, type Sql, type TenantId } from '#anpi/db';
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

interface Waiting extends LinkAnswer {
  resolve: (outcome: LinkOutcome<AnsweredByLink>) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitLimits {
  /** Answers written in one transaction at most. */
  groupSize: number;
  /** Groups being written at once (each holds one pooled connection). */
  inFlight: number;
}

const DEFAULT_LIMITS: GroupCommitLimits = { groupSize: 50, inFlight: 2 };
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
  private readonly waiting = new Map<TenantId, Waiting[]>();
  /** Recipients with an answer in a group being written. */
  private readonly writing = new Set<string>();
  private inFlight = 0;
  private pumpScheduled = false;
  private limits = DEFAULT_LIMITS;

  constructor(
    private readonly db: TenantDb,
    private readonly tallies: TallyNotifier,
  ) {}

  /** For tests: smaller groups, fewer in flight. */
  configure(limits: Partial<GroupCommitLimits>): void {
    this.limits = { ...this.limits, ...limits };
  }

  submit(answer: LinkAnswer): Promise<LinkOutcome<AnsweredByLink>> {
    if (!isUuid(answer.recipientId) || !isUuid(answer.content.id)) return Promise.reject(new TypeError('answer link ids must be UUIDs'));
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(answer.tenantId);
      if (queue) queue.push({ ...answer, resolve, reject });
      else this.waiting.set(answer.tenantId, [{ ...answer, resolve, reject }]);
      // The answers parsed in this turn of the event loop join the same group.
      if (!this.pumpScheduled) {
        this.pumpScheduled = true;
        setImmediate(() => {
          this.pumpScheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    // Tenants take turns: one tenant's flood does not hold another's answers back.
    for (const tenantId of [...this.waiting.keys()]) {
      if (this.inFlight >= this.limits.inFlight) return;
      const queue = this.waiting.get(tenantId)!;
      const group = this.take(queue);
      this.waiting.delete(tenantId);
      if (queue.length) this.waiting.set(tenantId, queue);
      if (group.length === 0) continue;
      this.inFlight++;
      void this.write(tenantId, group).then(() => {
        this.inFlight--;
        for (const answer of group) this.writing.delete(answer.recipientId);
        this.pump();
      });
    }
  }

  /** The next group: oldest first, one answer per recipient, none whose recipient is being written. */
  private take(queue: Waiting[]): Waiting[] {
    const group: Waiting[] = [];
    const later: Waiting[] = [];
    const taken = new Set<string>();
    for (const answer of queue) {
      if (group.length < this.limits.groupSize && !this.writing.has(answer.recipientId) && !taken.has(answer.recipientId)) {
        group.push(answer);
        taken.add(answer.recipientId);
      } else {
        later.push(answer);
      }
    }
    queue.splice(0, queue.length, ...later);
    for (const answer of group) this.writing.add(answer.recipientId);
    return group;
  }

  /** Never rejects: every answer of the group is settled, with its outcome or the group's error. */
  private async write(tenantId: TenantId, group: Waiting[]): Promise<void> {
    let written: { outcomes: LinkOutcome<AnsweredByLink>[]; changed: Set<string> };
    try {
      // Ids written into the statement are UUIDs (checked in submit): they come out of verified
      // tokens and the database.
      const read = `SELECT to_jsonb(r) AS r, to_jsonb(b) - '{${FIXED_BROADCAST_COLUMNS.join(',')}}'::text[] AS b
        FROM recipients r JOIN broadcasts b ON b.id = r.broadcast_id AND b.tenant_id = r.tenant_id
        WHERE r.tenant_id = anpi_current_tenant() AND r.id IN (${group.map((a) => `'${a.recipientId}'::uuid`).join(',')})`;
      written = await this.db.sqlAfterRead(tenantId, read, (sql, rows) => this.record(sql, tenantId, group, rows));
    } catch (error) {
      for (const answer of group) answer.reject(error);
      return;
    }
    group.forEach((answer, i) => answer.resolve(written.outcomes[i]!));
    for (const broadcastId of written.changed) await this.tallies.changed(tenantId, broadcastId);
  }

  private async record(sql: Sql, tenantId: TenantId, group: Waiting[], rows: Record<string, unknown>[]): Promise<{ outcomes: LinkOutcome<AnsweredByLink>[]; changed: Set<string> }> {
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
      valid.map(({ ctx, answer, key }) => ({ broadcastId: ctx.broadcast.id, recipientId: ctx.recipient.id, answer, source: 'self' as const, enteredById: null, submissionKey: key })),
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
