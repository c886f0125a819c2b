import { withAdmin } from './global-setup.mjs';

export default async function globalTeardown() {
  const template = process.env.ANPI_TEST_TEMPLATE;
  if (template) await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`));
}
