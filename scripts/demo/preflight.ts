import { spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { AppConfig } from '#anpi/config';

export class PreflightError extends Error {}

const START_THEM = [
  'Start PostgreSQL and Redis, for example with Docker:',
  '',
  '    docker compose up -d',
  '',
  'or point DATABASE_URL and REDIS_URL at running servers, then run `npm run demo` again.',
].join('\n');

function describe(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? 6379 : 5432)}`;
}

function reason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ?? e.message?.split('\n')[0] ?? 'unreachable';
}

/**
 * Makes sure PostgreSQL and Redis answer, the database exists and is migrated, and the
 * application role can log in with its configured password.
 */
export async function prepareServices(config: AppConfig, appPassword: string, root: string): Promise<void> {
  const owner = new URL(config.databaseUrl);
  const database = decodeURIComponent(owner.pathname.slice(1)) || 'anpi';
  const maintenance = new URL(config.databaseUrl);
  maintenance.pathname = '/postgres';

  const admin = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new PreflightError(`PostgreSQL is not reachable at ${describe(config.databaseUrl)} (${reason(error)}).\n\n${START_THEM}`);
  }
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }

  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3_000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new PreflightError(`Redis is not reachable at ${describe(config.redisUrl)} (${reason(error)}).\n\n${START_THEM}`);
  } finally {
    redis.disconnect();
  }

  const migrate = spawnSync(process.execPath, ['scripts/prisma.mjs', 'migrate', 'deploy'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: config.databaseUrl },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new PreflightError(`Applying the migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);

  // The role is created by the migrations; its password comes from configuration.
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    await client.query(`ALTER ROLE anpi_app PASSWORD ${pg.escapeLiteral(appPassword)}`);
  } finally {
    await client.end();
  }
}
