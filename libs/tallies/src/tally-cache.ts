import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { Observable, Subject, filter, map } from 'rxjs';
import { RedisService } from '#anpi/redis';
import type { TallyView } from './tally.types.js';

const TTL_SECONDS = 7 * 86_400;
/** Parsed tallies kept per api process (a company's is a few megabytes parsed). */
const PARSED_ENTRIES = 20;
const gzip = promisify(gzipCallback);

/**
 * The latest computed tally of each broadcast, in Redis, shared by every api process; and a
 * channel announcing each new one, which the live streams (SSE) listen to. Keyed by tenant and
 * broadcast: a tally is computed under its tenant's row-level policy, so finding it under a
 * tenant's key says the broadcast is that tenant's, and the dashboard's poll needs no database.
 */
@Injectable()
export class TallyCache implements OnApplicationShutdown {
  private subscriber: Redis | null = null;
  private readonly updates = new Subject<{ broadcastId: string; tally: TallyView }>();
  private readonly parsed = new Map<string, TallyView>();

  constructor(private readonly redis: RedisService) {}

  /**
   * The cached tally, parsed. Narrowed reads (a department, a head's subtrees) would otherwise fetch
   * and parse half a megabyte each time: the parsed copy is reused while the small version key
   * says it is still the latest. Callers must not modify it.
   */
  async get(tenantId: string, broadcastId: string): Promise<TallyView | null> {
    const key = this.key(tenantId, broadcastId);
    const latest = await this.redis.get(this.versionKey(tenantId, broadcastId));
    if (!latest) return null;
    const kept = this.parsed.get(key);
    if (kept?.computedAt === latest) return kept;
    const json = await this.redis.get(key);
    if (!json) return null;
    const tally = JSON.parse(json) as TallyView;
    this.parsed.delete(key);
    if (this.parsed.size >= PARSED_ENTRIES) this.parsed.delete(this.parsed.keys().next().value!);
    this.parsed.set(key, tally);
    return tally;
  }

  /** The cached tally as stored (JSON), for readers who may see all of it. */
  getJson(tenantId: string, broadcastId: string): Promise<string | null> {
    return this.redis.get(this.key(tenantId, broadcastId));
  }

  /**
   * Stored as JSON and gzipped: a company's tally is half a megabyte at a thousand departments and
   * about a tenth of that compressed; dashboards poll it while an alert is live, so it is
   * compressed once here rather than on every read.
   */
  async put(tenantId: string, tally: TallyView): Promise<void> {
    const json = JSON.stringify(tally);
    const gzipped = await gzip(json);
    await this.redis
      .multi()
      .set(this.key(tenantId, tally.broadcastId), json, 'EX', TTL_SECONDS)
      .set(this.gzipKey(tenantId, tally.broadcastId), gzipped, 'EX', TTL_SECONDS)
      .set(this.versionKey(tenantId, tally.broadcastId), tally.computedAt, 'EX', TTL_SECONDS)
      .publish(this.channel(), json)
      .exec();
  }

  /** The cached tally, gzipped, for readers who may see all of it and accept gzip. */
  getGzip(tenantId: string, broadcastId: string): Promise<Buffer | null> {
    return this.redis.getBuffer(this.gzipKey(tenantId, broadcastId));
  }

  /** New tallies of one broadcast, as they are computed. */
  watch(broadcastId: string): Observable<TallyView> {
    this.subscribe();
    return this.updates.pipe(
      filter((u) => u.broadcastId === broadcastId),
      map((u) => u.tally),
    );
  }

  private subscribe(): void {
    if (this.subscriber) return;
    this.subscriber = this.redis.duplicate();
    // Reconnects and resubscribes by itself; errors are the main connection's to report.
    this.subscriber.on('error', () => undefined);
    void this.subscriber.subscribe(this.channel());
    this.subscriber.on('message', (_channel: string, json: string) => {
      const tally = JSON.parse(json) as TallyView;
      this.updates.next({ broadcastId: tally.broadcastId, tally });
    });
  }

  private key(tenantId: string, broadcastId: string): string {
    return this.redis.key('tally', tenantId, broadcastId);
  }

  private gzipKey(tenantId: string, broadcastId: string): string {
    return this.redis.key('tally-gz', tenantId, broadcastId);
  }

  private versionKey(tenantId: string, broadcastId: string): string {
    return this.redis.key('tally-at', tenantId, broadcastId);
  }

  private channel(): string {
    return this.redis.key('tally-updates');
  }

  async onApplicationShutdown(): Promise<void> {
    this.updates.complete();
    await this.subscriber?.quit().catch(() => undefined);
  }
}
