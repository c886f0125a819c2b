/**
 * The console's initial JavaScript, gzipped: what a phone downloads before the login and home
 * screens work (index.html's entry script and the chunks it preloads; the other screens load on
 * demand). Written to dist/console/size.json for the benchmark's report; the budget is 250 KB.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const INITIAL_JS_BUDGET_BYTES = 250 * 1024;

export function measureConsole(dir = 'dist/console'): { initialJsGzipBytes: number; files: { file: string; gzipBytes: number }[] } {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/console\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const files = [...new Set(refs)].map((file) => ({ file, gzipBytes: gzipSync(readFileSync(join(dir, file)), { level: 9 }).length }));
  return { initialJsGzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0), files };
}

if (process.argv[1]?.endsWith('console-size.js')) {
  const size = measureConsole();
  writeFileSync('dist/console/size.json', `${JSON.stringify({ ...size, budgetBytes: INITIAL_JS_BUDGET_BYTES }, null, 2)}\n`);
  const kb = (size.initialJsGzipBytes / 1024).toFixed(1);
  process.stdout.write(
    `console: initial JavaScript ${kb} KB gzipped (budget 250 KB)${size.initialJsGzipBytes > INITIAL_JS_BUDGET_BYTES ? ' — OVER BUDGET' : ''}\n`,
  );
}
