#!/usr/bin/env node
// The production entry point, the same in the image (Dockerfile) and outside it:
//   node scripts/anpi.mjs api | worker | migrate | healthcheck
// api and worker run the built processes (npm run build); migrate applies the migrations and sets
// the application role's password; healthcheck asks /readyz of whichever process this host runs.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [command] = process.argv.slice(2);

const commands = {
  api: () => import(path.join(root, 'dist/apps/api/src/main.js')),
  worker: () => import(path.join(root, 'dist/apps/worker/src/main.js')),
  migrate,
  healthcheck,
};

if (!Object.hasOwn(commands, command ?? '')) {
  console.error('usage: node scripts/anpi.mjs api | worker | migrate | healthcheck');
  process.exit(64);
}
await commands[command]();

/** `prisma migrate deploy` as the owner, then the password of the role the api and worker log in as. */
async function migrate() {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts/prisma.mjs'), 'migrate', 'deploy'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  const password = process.env.DATABASE_APP_PASSWORD;
  if (!password) {
    console.log('DATABASE_APP_PASSWORD is not set: the role anpi_app keeps the password it has');
    return;
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/anpi' });
  await client.connect();
  try {
    // The migrations create the role; its password comes from configuration, never from a migration.
    await client.query(`ALTER ROLE anpi_app PASSWORD ${pg.escapeLiteral(password)}`);
    console.log('the role anpi_app has the password from DATABASE_APP_PASSWORD');
  } finally {
    await client.end();
  }
}

/** Exit 0 when the api (PORT) or the worker (WORKER_PORT) on this host answers /readyz with 2xx. */
async function healthcheck() {
  for (const port of [process.env.PORT ?? '3000', process.env.WORKER_PORT ?? '3001']) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(3_000) });
      if (res.ok) process.exit(0);
      console.error(`/readyz on port ${port} answered ${res.status}`);
      process.exit(1);
    } catch {
      // nothing listening on this port: the other process kind, perhaps
    }
  }
  console.error('neither the api nor the worker answers on this host');
  process.exit(1);
}
