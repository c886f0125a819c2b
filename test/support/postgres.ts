import pg from 'pg';

export const PG_HOST = process.env.PGHOST ?? '127.0.0.1';
export const PG_PORT = Number(process.env.PGPORT ?? 5432);
export const PG_OWNER = process.env.PGUSER ?? 'postgres';

export function ownerUrl(database: string): string {
  return `postgresql://${PG_OWNER}@${PG_HOST}:${PG_PORT}/${database}`;
}

export function appUrl(database: string): string {
  return `postgresql://anpi_app:anpi_app@${PG_HOST}:${PG_PORT}/${database}`;
}

/** Runs statements as the owner against the maintenance database (CREATE/DROP DATABASE). */
export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ownerUrl('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
