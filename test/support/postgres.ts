export { ownerUrl, withAdmin } from './global-setup.mjs';

const host = process.env.PGHOST ?? '127.0.0.1';
const port = process.env.PGPORT ?? '5432';

// The application role may reach PostgreSQL through a pooler (CI runs the isolation tests through
// PgBouncer in transaction mode: .ci/pgbouncer-check); migrations and set-up always go direct.
const appPort = process.env.ANPI_TEST_APP_PGPORT ?? port;

export function appUrl(database: string): string {
  return `postgresql://anpi_app:anpi_app@${host}:${appPort}/${database}`;
}
