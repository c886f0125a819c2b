import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '#anpi/config';
import { Metrics } from '#anpi/metrics';
import { JobHandler, JobName } from '#anpi/queue';
import { RedisService } from '#anpi/redis';
import { kindOfLink, parseAtomFeed, type FeedEntry } from './atom-feed.js';
import { JmaFeedClient } from './feed-client.js';
import { TelegramIntake } from './telegram-intake.js';
import { TelegramStore } from './telegram-store.js';

/** The high-frequency feeds (the last ~10 minutes) and the long ones read to catch up after downtime. */
const FEEDS = ['eqvol', 'extra'] as const;
const LONG_FEEDS = ['eqvol_l', 'extra_l'] as const;
/** The telegram types whose XML is worth fetching: the rest of the feeds is never downloaded. */
const WANTED = new Set(['VXSE51', 'VXSE53', 'VTSE41', 'VPWW54']);

export interface PollResult {
  feeds: Record<string, 'changed' | 'unchanged' | 'failed'>;
  fetched: number;
  caughtUp: boolean;
  skipped?: 'another poller is running';
}

/**
 * Polls JMA's PULL-type Atom feeds (気象庁防災情報XML): conditional GETs (ETag, If-Modified-Since),
 * each new entry's XML fetched once — an entry already stored is never downloaded again, as JMA
 * asks — and, after a gap longer than a few poll intervals, the long feeds too. One schedule for
 * the whole cluster (BullMQ job scheduler) and a Redis lock make one poller however many workers
 * run. A feed that fails is logged and tried again on the next poll; the others go on.
 */
@Injectable()
export class JmaFeedPoller {
  private readonly logger = new Logger(JmaFeedPoller.name);

  constructor(
    private readonly client: JmaFeedClient,
    private readonly store: TelegramStore,
    private readonly intake: TelegramIntake,
    private readonly redis: RedisService,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  @JobHandler(JobName.PollJmaFeeds)
  async poll(): Promise<PollResult> {
    const lock = this.redis.key('jma', 'poll-lock');
    const token = randomUUID();
    const ttl = Math.max(60_000, this.config.jma.pollSeconds * 3_000);
    if ((await this.redis.set(lock, token, 'PX', ttl, 'NX')) !== 'OK') return { feeds: {}, fetched: 0, caughtUp: false, skipped: 'another poller is running' };
    try {
      return await this.pollFeeds();
    } finally {
      // Released only if still ours (a poll that outlived its lock must not free the next one's).
      await this.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0", 1, lock, token);
    }
  }

  private async pollFeeds(): Promise<PollResult> {
    const result: PollResult = { feeds: {}, fetched: 0, caughtUp: false };
    const gapMs = Math.max(120_000, this.config.jma.pollSeconds * 3_000);
    const last = await this.store.feedState(FEEDS[0]);
    result.caughtUp = !last.polledAt || Date.now() - last.polledAt.getTime() > gapMs;
    const entries: FeedEntry[] = [];
    for (const feed of result.caughtUp ? [...LONG_FEEDS, ...FEEDS] : FEEDS) {
      try {
        const state = await this.store.feedState(feed);
        const res = await this.client.getFeed(this.client.feedUrl(feed), state);
        if (res.status === 304) {
          result.feeds[feed] = 'unchanged';
          await this.store.saveFeedState(feed, state);
          continue;
        }
        entries.push(...parseAtomFeed(res.body).filter((e) => WANTED.has(kindOfLink(e.href) ?? '')));
        result.feeds[feed] = 'changed';
        await this.store.saveFeedState(feed, { etag: res.etag, lastModified: res.lastModified });
      } catch (error) {
        result.feeds[feed] = 'failed';
        this.logger.warn({ msg: 'jma feed failed', feed, err: (error as Error).message });
      }
    }
    for (const [feed, outcome] of Object.entries(result.feeds)) this.metrics.jmaPolls.inc({ feed, result: outcome });
    const unique = [...new Map(entries.map((e) => [e.id, e])).values()].sort((a, b) => a.updated.localeCompare(b.updated));
    const known = await this.store.knownEntries(unique.map((e) => e.id));
    for (const entry of unique.filter((e) => !known.has(e.id))) {
      try {
        const xml = await this.client.getTelegram(entry.href);
        await this.intake.accept({ xml, entryId: entry.id, via: 'feed' });
        result.fetched++;
      } catch (error) {
        // Not stored, so the next poll fetches it again.
        this.logger.warn({ msg: 'jma telegram fetch failed', entryId: entry.id, err: (error as Error).message });
      }
    }
    return result;
  }
}
