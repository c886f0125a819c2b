import { spawnSync } from 'node:child_process';
import { ownerUrl } from './support/postgres.js';

describe('migrations', () => {
  // Connects to the maintenance database only to create and drop its shadow database.
  it('produce exactly the schema in prisma/schema/ (no drift for `prisma migrate dev` to find)', () => {
    const diff = spawnSync(
      process.execPath,
      ['scripts/prisma.mjs', 'migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema-datamodel', 'prisma/schema', '--script'],
      { env: { ...process.env, DATABASE_URL: ownerUrl('postgres') }, encoding: 'utf8' },
    );
    expect(diff.stderr).not.toMatch(/Error/);
    expect(diff.stdout.replace(/^Loaded Prisma config.*$/m, '').trim()).toBe('-- This is an empty migration.');
  });
});
