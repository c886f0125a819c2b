import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console: built into dist/console and served by the api at /console/. No inline script (the
 * api's CSP refuses it), so no module-preload polyfill. `npm run dev:console` proxies the API to a
 * running api (API_URL, default http://localhost:3000).
 */
export default defineConfig({
  root,
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
    // The budget that matters is gzipped initial JavaScript (scripts/console-size.ts); this one is raw bytes per chunk.
    chunkSizeWarningLimit: 400,
    rolldownOptions: {
      // React Query marks its modules "use client" (for server components); a plain SPA has none.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: { '/v1': process.env.API_URL ?? 'http://localhost:3000', '/a/': process.env.API_URL ?? 'http://localhost:3000' },
  },
});
