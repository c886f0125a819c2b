export { ownerUrl, withAdmin } from './global-setup.mjs';

const host = process.env.PGHOST ?? '127.0.0.1';
const port = process.env.PGPORT ?? '5432';

export function appUrl(database: string): string {
  return `postgresql://anpi_app:anpi_app@${host}:${port}/${database}`;
}
