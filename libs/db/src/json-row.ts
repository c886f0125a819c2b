/**
 * A row read as `to_jsonb(table)` in a raw query, shaped as the Prisma client returns it: camelCase
 * fields, and timestamps (every `…_at` column) as Dates. Hot paths read this way because a raw
 * query skips Prisma's per-call query compilation, which cost more CPU than the database work.
 */
export function fromJsonRow<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const key in row) {
    const value = row[key];
    out[fieldOf(key)] = typeof value === 'string' && key.endsWith('_at') ? new Date(value) : value;
  }
  return out as T;
}

// Column names are few and fixed: each is converted once (this runs for every answer in a group).
const fields = new Map<string, string>();

function fieldOf(column: string): string {
  let field = fields.get(column);
  if (field === undefined) {
    field = column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    if (fields.size < 1_000) fields.set(column, field);
  }
  return field;
}
