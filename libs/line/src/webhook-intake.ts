import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { PlatformDb } from '#anpi/db';
import { JobName, QueueName } from '#anpi/queue';
import { lineEventJobId, type LineEvent, type LineEventJobData } from './events/line-event.js';
import { LineChannelDirectory } from './line-channel-directory.js';
import { isValidLineSignature } from './webhook-signature.js';

export type IntakeResult = { status: 'accepted'; events: number; fresh: number } | { status: 'unauthorized' } | { status: 'malformed' };

/**
 * The webhook's only work while LINE waits: check the signature against the raw bytes, record
 * each event id (a redelivery finds it recorded and is dropped) and queue the event, for all the
 * request's events at once. Recording and queueing share one transaction's fate: if queueing fails
 * the records are rolled back, LINE gets an error and redelivers.
 */
@Injectable()
export class LineWebhookIntake {
  private readonly logger = new Logger('LineWebhook');

  constructor(
    private readonly channels: LineChannelDirectory,
    private readonly platform: PlatformDb,
    @InjectQueue(QueueName.Line) private readonly queue: Queue,
  ) {}

  async accept(channelKey: string, rawBody: unknown, signature: string | undefined): Promise<IntakeResult> {
    const channel = await this.channels.find(channelKey);
    if (!channel || !Buffer.isBuffer(rawBody) || !isValidLineSignature(channel.secret, rawBody, signature)) return { status: 'unauthorized' };
    const events = parseEvents(rawBody);
    if (!events) return { status: 'malformed' };
    // One transaction for the whole request (LINE sends several events in one when they come
    // together): record every event id, and queue the ones not seen before.
    const unique = [...new Map(events.map((e) => [e.webhookEventId, e])).values()];
    const fresh = unique.length
      ? await this.platform.sql(async (sql) => {
          const inserted = await sql<{ id: string }>(
            `INSERT INTO line_webhook_events (channel_key, webhook_event_id, type)
             SELECT $1, e.id, e.type FROM unnest($2::text[], $3::text[]) AS e(id, type)
             ON CONFLICT DO NOTHING
             RETURNING webhook_event_id AS id`,
            [channelKey, unique.map((e) => e.webhookEventId), unique.map((e) => e.type)],
          );
          const taken = new Set(inserted.map((r) => r.id));
          const jobs = unique
            .filter((event) => taken.has(event.webhookEventId))
            .map((event) => ({
              name: JobName.HandleLineEvent,
              data: { channelKey, event } satisfies LineEventJobData,
              opts: { jobId: lineEventJobId(channelKey, event.webhookEventId) },
            }));
          if (jobs.length) await this.queue.addBulk(jobs);
          return jobs.length;
        })
      : 0;
    this.logger.log({ msg: 'line webhook', channelKey, tenantId: channel.tenantId, events: events.length, fresh });
    return { status: 'accepted', events: events.length, fresh };
  }
}

function parseEvents(raw: Buffer): LineEvent[] | null {
  try {
    const body = JSON.parse(raw.toString('utf8')) as { events?: unknown };
    if (!Array.isArray(body.events)) return null;
    return body.events.filter(
      (e): e is LineEvent =>
        typeof e === 'object' &&
        e !== null &&
        typeof (e as LineEvent).type === 'string' &&
        typeof (e as LineEvent).webhookEventId === 'string' &&
        (e as LineEvent).webhookEventId.length <= 64,
    );
  } catch {
    return null;
  }
}
