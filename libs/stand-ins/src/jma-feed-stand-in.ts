import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Entry {
  id: string;
  title: string;
  updated: string;
  file: string;
}

/**
 * A stand-in for JMA's PULL-type feed server (https://www.data.jma.go.jp/developer/xml/feed/):
 * Atom feeds eqvol.xml, extra.xml and their long versions *_l.xml, each entry linking to a
 * telegram under /data/, with ETag / Last-Modified and 304 on a conditional GET, as JMA's server
 * does. It records every request so tests can tell what was fetched.
 */
export class JmaFeedStandIn {
  readonly requests: { path: string; ifNoneMatch?: string; ifModifiedSince?: string; status: number }[] = [];
  private readonly feeds = new Map<string, Entry[]>();
  private readonly files = new Map<string, string>();
  private readonly modified = new Map<string, Date>();
  /** Added before every answer: a slow feed server. */
  latencyMs = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<JmaFeedStandIn> {
    const holder: { self?: JmaFeedStandIn } = {};
    const server = createServer((req, res) => {
      const self = holder.self!;
      setTimeout(() => self.handle(req.url ?? '/', req.headers, res), self.latencyMs);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.self = new JmaFeedStandIn(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return holder.self;
  }

  /** Publishes a telegram on a feed (and its long version), as JMA does; returns the entry id. */
  publish(feed: 'eqvol' | 'extra', kind: string, xml: string, options: { longOnly?: boolean; file?: string } = {}): string {
    const n = this.files.size + 1;
    const file = options.file ?? `20260101000000_0_${kind}_${String(n).padStart(6, '0')}.xml`;
    this.files.set(file, xml);
    const entry = { id: `${this.url}/data/${file}`, title: kind, updated: new Date(Date.now() + n).toISOString(), file };
    for (const name of options.longOnly ? [`${feed}_l`] : [feed, `${feed}_l`]) {
      this.feeds.set(name, [entry, ...(this.feeds.get(name) ?? [])]);
      this.modified.set(name, new Date(Math.floor(Date.now() / 1000) * 1000 + n * 1000));
    }
    return entry.id;
  }

  /** JMA keeps ~10 minutes in the high-frequency feeds: entries age out of them. */
  expire(feed: 'eqvol' | 'extra'): void {
    this.feeds.set(feed, []);
    this.modified.set(feed, new Date(Date.now() + 60_000));
  }

  fetched(file: string): number {
    return this.requests.filter((r) => r.path === `/data/${file}`).length;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(path: string, headers: Record<string, string | string[] | undefined>, res: import('node:http').ServerResponse): void {
    const log = {
      path,
      ifNoneMatch: headers['if-none-match'] as string | undefined,
      ifModifiedSince: headers['if-modified-since'] as string | undefined,
      status: 200,
    };
    this.requests.push(log);
    const feed = /^\/(eqvol|extra)(_l)?\.xml$/.exec(path);
    if (feed) {
      const name = `${feed[1]}${feed[2] ?? ''}`;
      const body = this.atom(name);
      const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      const lastModified = (this.modified.get(name) ?? new Date(0)).toUTCString();
      if (log.ifNoneMatch === etag) {
        log.status = 304;
        res.writeHead(304, { ETag: etag, 'Last-Modified': lastModified }).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/atom+xml; charset=utf-8', ETag: etag, 'Last-Modified': lastModified }).end(body);
      return;
    }
    const file = this.files.get(path.replace(/^\/data\//, ''));
    if (!file) {
      log.status = 404;
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/xml; charset=utf-8' }).end(file);
  }

  private atom(name: string): string {
    const entries = (this.feeds.get(name) ?? [])
      .map(
        (e) =>
          `<entry><title>${e.title}</title><id>${e.id}</id><updated>${e.updated}</updated><author><name>気象庁</name></author>` +
          `<link type="application/xml" href="${this.url}/data/${e.file}"/><content type="text">${e.title}</content></entry>`,
      )
      .join('');
    return (
      `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" lang="ja"><title>高頻度（地震火山）</title>` +
      `<id>${this.url}/${name}.xml</id><updated>${(this.modified.get(name) ?? new Date(0)).toISOString()}</updated>${entries}</feed>`
    );
  }
}
