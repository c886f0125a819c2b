import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import expressLib, { type NextFunction, type Request, type Response, type Router } from 'express';

/**
 * The console's own policy: scripts and styles from this origin only (Vite's build has no inline
 * script), API calls to this origin, no framing. The answer page keeps its own.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the built console at /console/: hashed assets cached for a year (a new build has new
 * names), index.html never cached (so a deploy reaches every open tab on its next load), and every
 * other path under /console/ answered with index.html for the console's own router.
 */
export function consoleStatic(dir: string): Router {
  const root = resolve(dir);
  const index = resolve(root, 'index.html');
  const router = expressLib.Router();
  router.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  router.use(
    '/assets',
    expressLib.static(resolve(root, 'assets'), {
      index: false,
      fallthrough: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  );
  router.use(expressLib.static(root, { index: false, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }));
  router.get(/.*/, (_req: Request, res: Response) => {
    if (!existsSync(index)) {
      res.status(503).type('text/plain; charset=utf-8').send('The console is not built: run npm run build. / コンソールがビルドされていません。');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
