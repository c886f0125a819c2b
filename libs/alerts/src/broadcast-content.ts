import { z } from 'zod';
import type { Prisma } from '#anpi/db';

/**
 * The JSON columns of broadcasts and templates, in one place: one type per column, parsed
 * (validated) on the way out of the database and serialised on the way in. Every reader goes
 * through here instead of casting. Parsing is remembered per stored value (the answer path reads
 * the same cached broadcast for every answer), so it costs once per value, not once per read.
 */

const option = z.object({ id: z.string(), label: z.string(), labelEn: z.string().optional() });
const question = z.object({ id: z.string(), label: z.string(), labelEn: z.string().optional(), required: z.boolean(), options: z.array(option) });
const freeText = z.object({ label: z.string(), labelEn: z.string().optional(), required: z.boolean(), maxLength: z.number().int() });
const channel = z.enum(['line', 'email', 'sms', 'lineworks']);
const detail = z.enum(['title_only', 'full']);
// LINE WORKS came later: broadcasts stored before it have no entry for it.
const notificationDetail = z.object({ line: detail, email: detail, sms: detail, lineworks: detail.default('title_only') });
const reminder = z.object({ intervalMinutes: z.number().int(), maxReminders: z.number().int() });
const escalation = z.object({ order: z.array(channel), afterMinutes: z.number().int() });
const prefectures = z.array(z.number().int().min(1).max(47));
const targets = z.object({
  all: z.literal(true).optional(),
  departmentIds: z.array(z.string()).optional(),
  employeeIds: z.array(z.string()).optional(),
  /** Automatic launches: employees whose (effective) work prefecture, or home prefecture, is listed. */
  areas: z.object({ work: prefectures.optional(), home: prefectures.optional() }).optional(),
});

const source = z.object({ type: z.literal('jma'), telegramId: z.string(), entryId: z.string(), eventId: z.string(), ruleIds: z.array(z.string()) });

export type Question = z.infer<typeof question>;
export type FreeText = z.infer<typeof freeText>;
export type NotificationDetail = z.infer<typeof notificationDetail>;
export type Reminder = z.infer<typeof reminder>;
export type Escalation = z.infer<typeof escalation>;
export type Targets = z.infer<typeof targets>;
export type BroadcastSource = z.infer<typeof source>;

/** A stored content column that does not have its shape: a bug or a bad migration, never user input. */
export class BroadcastContentError extends Error {}

const parsed = new WeakMap<object, unknown>();

function reader<T>(column: string, schema: z.ZodType<T>) {
  return (value: Prisma.JsonValue | null | undefined): T => {
    if (value !== null && typeof value === 'object') {
      const known = parsed.get(value);
      if (known !== undefined) return known as T;
    }
    const result = schema.safeParse(value);
    if (!result.success)
      throw new BroadcastContentError(`stored ${column} is malformed: ${result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    if (value !== null && typeof value === 'object') parsed.set(value, result.data);
    return result.data;
  };
}

/** Readers, one per column, for a broadcast or template row (or its cached copy). */
export const content = {
  questions: reader('questions', z.array(question)),
  freeText: reader('freeText', freeText.nullable()),
  notificationDetail: reader('notificationDetail', notificationDetail),
  reminder: reader('reminder', reminder.nullable()),
  escalation: reader('escalation', escalation.nullable()),
  targets: reader('targets', targets),
  source: reader('source', source.nullable()),
};

/** A content value as its JSON column stores it (null is SQL NULL for the nullable columns). */
export function toJsonColumn(
  value: Question[] | FreeText | NotificationDetail | Reminder | Escalation | Targets | BroadcastSource | null,
): Prisma.InputJsonValue {
  // Plain data (DTO instances included) is what Prisma writes as JSON; the column types say the rest.
  return value as Prisma.InputJsonValue;
}
