import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { appUrl, ownerUrl, withAdmin } from './postgres.js';

export interface TestDatabase {
  name: string;
  ownerUrl: string;
  appUrl: string;
  /** A connection as the owner, for arranging and inspecting rows behind the application's back. */
  owner: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh database for one test file, cloned from the run's migrated template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env.ANPI_TEST_TEMPLATE;
  if (!template) throw new Error('ANPI_TEST_TEMPLATE is not set: run the tests with `npm test`');
  const name = `anpi_test_${randomBytes(6).toString('hex')}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      break;
    } catch (error) {
      // Two files cloning at the same instant can see each other on the template; try again.
      if (attempt >= 10 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
  const owner = new pg.Pool({ connectionString: ownerUrl(name), max: 3 });
  // Dropping the database (WITH FORCE) terminates idle connections; the pool drops them quietly.
  owner.on('error', () => undefined);
  return {
    name,
    ownerUrl: ownerUrl(name),
    appUrl: appUrl(name),
    owner,
    async drop() {
      await owner.end();
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
