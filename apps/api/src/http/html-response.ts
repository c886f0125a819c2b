import type { Response } from 'express';

/**
 * Sends a server-rendered page with the headers every public page needs: no caching, no referrer
 * (tokens are in the URLs), a CSP without scripts, no framing, no indexing. `formAction` adds an
 * origin forms may post or redirect to (LINE's account-link dialog).
 */
export function sendHtml(res: Response, status: number, html: string, options: { formAction?: string; images?: boolean } = {}): void {
  const csp = [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    ...(options.images ? ['img-src data:'] : []),
    `form-action 'self'${options.formAction ? ` ${options.formAction}` : ''}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'X-Robots-Tag': 'noindex',
      'Content-Length': String(Buffer.byteLength(html)),
    })
    // Not res.send: it hashes every page for an ETag, useless on a page that is never cached.
    .end(html);
}
