import { Injectable } from '@nestjs/common';
import { AppConfig } from '#anpi/config';

export type FeedResponse = { status: 304 } | { status: 200; body: string; etag: string | null; lastModified: string | null };

/** HTTP to JMA's feed server, behind one injectable so tests point it at their own server. */
@Injectable()
export class JmaFeedClient {
  constructor(private readonly config: AppConfig) {}

  feedUrl(name: string): string {
    return `${this.config.jma.feedBaseUrl}/${name}.xml`;
  }

  /** A conditional GET: 304 when nothing changed since the validators given. */
  async getFeed(url: string, validators: { etag?: string | null; lastModified?: string | null }): Promise<FeedResponse> {
    const headers: Record<string, string> = { Accept: 'application/atom+xml, application/xml' };
    if (validators.etag) headers['If-None-Match'] = validators.etag;
    if (validators.lastModified) headers['If-Modified-Since'] = validators.lastModified;
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(this.config.delivery.providerTimeoutMs) });
    if (res.status === 304) return { status: 304 };
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    return { status: 200, body: await res.text(), etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified') };
  }

  async getTelegram(url: string): Promise<string> {
    const res = await fetch(url, { signal: AbortSignal.timeout(this.config.delivery.providerTimeoutMs) });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    return res.text();
  }
}
