import { StreamableFile } from '@nestjs/common';
import type { Response } from 'express';

/** Whether an Accept-Encoding header takes gzip (not refused with q=0). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  return (acceptEncoding ?? '').split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    return (coding === 'gzip' || coding === '*') && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
  });
}

/** Sends JSON that is already serialised, and gzipped when `gzipped` (the caller checked the client takes it). */
export function jsonBody(res: Response, payload: { body: string | Buffer; gzipped: boolean }): StreamableFile {
  res.setHeader('Vary', 'Accept-Encoding');
  if (payload.gzipped) res.setHeader('Content-Encoding', 'gzip');
  const bytes = typeof payload.body === 'string' ? Buffer.from(payload.body, 'utf8') : payload.body;
  return new StreamableFile(bytes, { type: 'application/json; charset=utf-8', length: bytes.length });
}
