import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configurationDoc } from '../scripts/config-docs.js';

describe('docs/configuration.md', () => {
  it('is what the schema generates (run `npm run docs:config` after changing libs/config)', () => {
    const written = readFileSync(path.resolve(import.meta.dirname, '../docs/configuration.md'), 'utf8');
    expect(written).toBe(configurationDoc());
  });

  it('names every variable once, with a description', () => {
    const doc = configurationDoc();
    for (const name of ['PLATFORM_API_KEY', 'METRICS_TOKEN', 'DATABASE_POOL_SIZE', 'LINEWORKS_RATE_PER_MINUTE', 'JMA_POLL_SECONDS']) {
      expect(doc.match(new RegExp(`^\\| \`${name}\` \\|`, 'gm'))).toHaveLength(1);
    }
    expect(doc).toContain('| `PLATFORM_API_KEY` | **required** |');
    expect(doc).toContain('| `PORT` | `3000` |');
    expect(doc).toContain('| `METRICS_TOKEN` | unset |');
  });
});
