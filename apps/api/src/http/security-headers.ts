import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The headers every response carries (helmet): the answer page's policy as the default for
 * everything else — nothing loads, no framing, no referrer (tokens are in URLs), no MIME sniffing.
 * Pages that load something set their own Content-Security-Policy on top: the answer page
 * (html-response.ts), the console (console-static.ts), the API docs (below), the queue dashboard.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'self'"], frameAncestors: ["'none'"] },
    },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    // Long-lived HSTS only matters behind TLS; browsers ignore it over plain http (development).
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  });
}

/** Swagger UI at /docs runs its own script and styles from this origin. */
export const API_DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
