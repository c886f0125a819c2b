/**
 * A row read as `to_jsonb(table)` in a raw query, shaped as the Prisma client returns it: camelCase
 * fields, and timestamps (every `…_at` column) as Dates. Hot paths read this way because a raw
 * query skips Prisma's per-call query compilation, which cost more CPU than the database work.
 */
export function fromJsonRow<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    const field = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    out[field] = typeof value === 'string' && key.endsWith('_at') ? new Date(value) : value;
  }
  return out as T;
}
