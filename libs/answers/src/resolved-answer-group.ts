import { Injectable } from '@nestjs/common';
import { TenantDb, GroupCommitQueue, type BatchLimits, type TenantId } from '#anpi/db';
import { writeAnswers, type AnswerRow, type StoredAnswer } from './answer-writer.js';

type GroupedRow = AnswerRow & { tenantId: TenantId; key: string };

const DEFAULT_LIMITS: BatchLimits = { groupSize: 50, inFlight: 2 };

/**
 * Answers whose recipient and broadcast are already resolved and judged (the LINE and LINE WORKS
 * one-tap 無事です), written in groups: a minute after an alert tens of thousands of taps arrive,
 * and a transaction each (open, write, commit: three round trips and a commit) was most of what
 * the workers and the database spent per tap. The answers recorded while earlier groups are being
 * written go together in one statement; one recipient is in at most one group in flight. A group
 * that fails as a whole rejects its answers; the caller then writes each alone.
 */
@Injectable()
export class ResolvedAnswerGroup {
  private readonly batches = new GroupCommitQueue<GroupedRow, StoredAnswer>(
    (tenantId, rows) => this.write(tenantId, rows),
    DEFAULT_LIMITS,
    (row) => row.tenantId,
  );

  constructor(private readonly db: TenantDb) {}

  /** For tests: smaller groups, fewer in flight. */
  configure(limits: Partial<BatchLimits>): void {
    this.batches.configure(limits);
  }

  submit(tenantId: TenantId, row: AnswerRow): Promise<StoredAnswer> {
    return this.batches.submit({ ...row, tenantId, key: row.recipientId });
  }

  private async write(tenantId: TenantId, rows: GroupedRow[]): Promise<{ results: StoredAnswer[] }> {
    const stored = await this.db.sql(tenantId, (sql) =>
      writeAnswers(
        sql,
        tenantId,
        rows.map(({ tenantId: _tenant, key: _key, ...row }) => row),
      ),
    );
    return {
      results: rows.map((row) => {
        const answer = stored.get(row.recipientId);
        if (!answer) throw new Error('an answer of the group was neither written nor found');
        return answer;
      }),
    };
  }
}
