// Runs once per `npm test`, outside Jest's module system (hence plain JavaScript).
// Migrates a template database from the committed migrations; each test file then clones it
// (CREATE DATABASE … TEMPLATE, a file copy) instead of migrating again.
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { Redis } from 'ioredis';

const host = process.env.PGHOST ?? '127.0.0.1';
const port = process.env.PGPORT ?? '5432';
const user = process.env.PGUSER ?? 'postgres';
export const ownerUrl = (database) => `postgresql://${user}@${host}:${port}/${database}`;

export async function withAdmin(fn) {
  const client = new pg.Client({ connectionString: ownerUrl('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export default async function globalSetup() {
  const template = `anpi_test_template_${process.pid}`;
  try {
    await withAdmin(async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${template}"`);
    });
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${ownerUrl('postgres')}: ${error.message}. Start it (see README) and run again.`, { cause: error });
  }
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`Redis is not reachable: ${error.message}. Start it (see README) and run again.`, { cause: error });
  } finally {
    redis.disconnect();
  }
  const migrate = spawnSync(process.execPath, ['scripts/prisma.mjs', 'migrate', 'deploy'], {
    env: { ...process.env, DATABASE_URL: ownerUrl(template) },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`Migrating the template database failed:\n${migrate.stdout}\n${migrate.stderr}`);
  process.env.ANPI_TEST_TEMPLATE = template;
}
