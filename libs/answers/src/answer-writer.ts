import type { Answer, Sql, TenantId } from '#anpi/db';
import type { ValidAnswer } from './answer-validator.js';

/** One answer to write: already judged valid against its broadcast. */
export interface AnswerRow {
  broadcastId: string;
  recipientId: string;
  answer: ValidAnswer;
  source: 'self' | 'proxy' | 'line' | 'lineworks';
  enteredById: string | null;
  submissionKey: string;
  /**
   * When the employee answered, if that was before this write: a LINE tap handled seconds after
   * it was made, behind a flood of others. The recipient's current answer is the newest by this
   * time, so a form sent after the tap but written before it stays current. Now when absent (and
   * never later than now: another system's clock may run ahead).
   */
  answeredAt?: Date;
}

/** A stored answer; `fresh` is false when the same submission key had been stored before. */
export type StoredAnswer = Answer & { fresh: boolean };

/** An answers row as the Prisma client shapes it, from raw SQL (`alias` qualifies the columns). */
function answerFields(alias: string): string {
  return `${alias}.id, ${alias}.tenant_id AS "tenantId", ${alias}.broadcast_id AS "broadcastId",
    ${alias}.recipient_id AS "recipientId", ${alias}.choices, ${alias}.message, ${alias}.source,
  ${alias}.entered_by_id AS "enteredById", ${alias}.submission_key AS "submissionKey", ${alias}.submitted_at AS "submittedAt"`;
}

/**
 * Writes answers, one or many, in the caller's transaction: each new answer, each recipient's copy
 * of its newest answer (the newest being the current one, whichever transaction commits last), and
 * for a form sent twice the answer already stored under its submission key. One statement, plus a
 * second only when the other copy of a form committed after the first began. At most one row per
 * recipient (the group commit sees to it). Returns the stored answer of every row by recipient id.
 */
export async function writeAnswers(sql: Sql, tenantId: TenantId, rows: AnswerRow[]): Promise<Map<string, StoredAnswer>> {
  const recipientIds = rows.map((row) => row.recipientId);
  const keys = rows.map((row) => row.submissionKey);
  const written = await sql<StoredAnswer>(
    `WITH input AS (
       SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::jsonb[], $5::text[], $6::text[], $7::uuid[], $8::text[], $9::timestamptz[])
         AS x(broadcast_id, recipient_id, choices, message, source, entered_by_id, submission_key, answered_at)
     ), inserted AS (
       INSERT INTO answers (id, tenant_id, broadcast_id, recipient_id, choices, message, source, entered_by_id, submission_key, submitted_at)
       SELECT anpi_uuid7(), $1::uuid, broadcast_id, recipient_id, choices, message, source::"AnswerSource", entered_by_id, submission_key,
         least(answered_at, now()) FROM input
       ON CONFLICT (recipient_id, submission_key) DO NOTHING
       RETURNING *
     ), current AS (
       UPDATE recipients r SET choices = i.choices, message = i.message, answered_at = i.submitted_at
       FROM inserted i
       WHERE r.id = i.recipient_id AND r.tenant_id = i.tenant_id AND (r.answered_at IS NULL OR r.answered_at <= i.submitted_at)
     )
     SELECT true AS fresh, ${answerFields('inserted')} FROM inserted
     UNION ALL
     SELECT false, ${answerFields('a')} FROM answers a JOIN input x ON a.recipient_id = x.recipient_id AND a.submission_key = x.submission_key
     WHERE a.tenant_id = $1::uuid`,
    [
      tenantId,
      rows.map((row) => row.broadcastId),
      recipientIds,
      rows.map((row) => JSON.stringify(row.answer.choices)),
      rows.map((row) => row.answer.message),
      rows.map((row) => row.source),
      rows.map((row) => row.enteredById),
      keys,
      rows.map((row) => row.answeredAt ?? null),
    ],
  );
  const stored = new Map(written.map((row) => [row.recipientId, row]));
  if (stored.size < rows.length) {
    // The same form sent twice at once, the other copy committed after this statement began: its
    // row is visible to the next statement.
    const earlier = await sql<Answer>(
      `SELECT ${answerFields('a')} FROM answers a
        JOIN unnest($2::uuid[], $3::text[]) AS x(recipient_id, submission_key) ON a.recipient_id = x.recipient_id AND a.submission_key = x.submission_key
       WHERE a.tenant_id = $1::uuid`,
      [tenantId, recipientIds, keys],
    );
    for (const row of earlier) if (!stored.has(row.recipientId)) stored.set(row.recipientId, { ...row, fresh: false });
  }
  return stored;
}
