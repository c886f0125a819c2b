import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { escapeLiteral } from 'pg';
import { GroupCommitQueue, PlatformDb, type BatchLimits } from '#anpi/db';
import { JobName, QueueName } from '#anpi/queue';
import { lineEventGroupJobId, lineEventJobId, type LineEvent, type LineEventGroupJobData, type LineEventJobData } from './events/line-event.js';
import { LineChannelDirectory } from './line-channel-directory.js';
import { isValidLineSignature } from './webhook-signature.js';

export type IntakeResult = { status: 'accepted'; events: number; fresh: number } | { status: 'unauthorized' } | { status: 'malformed' };

/** A webhook request's events not repeated within it (a redelivery of one may come in another request). */
interface IntakeItem {
  key: string;
  channelKey: string;
  events: LineEvent[];
}

// Requests recorded in one transaction at most, and transactions at once (each holds one pooled
// connection; the answer pages need the rest).
const INTAKE_LIMITS: BatchLimits = { groupSize: 100, inFlight: 4 };

/**
 * The webhook's only work while LINE waits: check the signature against the raw bytes, record
 * each event id (a redelivery finds it recorded and is dropped) and queue the new events. Requests
 * that arrive together are recorded and queued together, their events as one job (group commit: on
 * the day of an earthquake LINE sends hundreds a second, and three round trips each made them wait
 * on one another); alone, a request goes at once, and a lone event is its own job. Recording and queueing share one transaction's fate: if queueing fails the
 * records are rolled back, LINE gets an error and redelivers.
 */
@Injectable()
export class LineWebhookIntake {
  private readonly logger = new Logger('LineWebhook');
  private readonly groups = new GroupCommitQueue<IntakeItem, number, string>(
    (channelKey, items) => this.record(channelKey, items),
    INTAKE_LIMITS,
    (item) => item.channelKey,
  );

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
    const unique = [...new Map(events.map((e) => [e.webhookEventId, e])).values()];
    const fresh = unique.length ? await this.groups.submit({ key: unique[0]!.webhookEventId, channelKey, events: unique }) : 0;
    this.logger.log({ msg: 'line webhook', channelKey, tenantId: channel.tenantId, events: events.length, fresh });
    return { status: 'accepted', events: events.length, fresh };
  }

  /**
   * One transaction for a group of requests: every event id recorded in the round trip that opens
   * it (the values written in as literals), the ones not seen before queued, COMMIT. Each request's
   * result: how many of its events were new (one in two requests at once counts for the first).
   */
  private async record(channelKey: string, items: IntakeItem[]): Promise<{ results: number[] }> {
    const events = [...new Map(items.flatMap((item) => item.events).map((e) => [e.webhookEventId, e])).values()];
    const taken = await this.platform.sql(
      async (_sql, inserted) => {
        const taken = new Set(inserted.map((r) => String(r.id)));
        const fresh = events.filter((event) => taken.has(event.webhookEventId));
        if (fresh.length === 1) {
          const [event] = fresh as [LineEvent];
          await this.queue.add(JobName.HandleLineEvent, { channelKey, event } satisfies LineEventJobData, {
            jobId: lineEventJobId(channelKey, event.webhookEventId),
          });
        } else if (fresh.length > 1) {
          await this.queue.add(JobName.HandleLineEvents, { channelKey, events: fresh } satisfies LineEventGroupJobData, {
            jobId: lineEventGroupJobId(channelKey, fresh[0]!.webhookEventId),
          });
        }
        return taken;
      },
      {
        first: `INSERT INTO line_webhook_events (channel_key, webhook_event_id, type)
          VALUES ${events.map((e) => `(${escapeLiteral(channelKey)}, ${escapeLiteral(e.webhookEventId)}, ${escapeLiteral(e.type)})`).join(', ')}
          ON CONFLICT DO NOTHING
          RETURNING webhook_event_id AS id`,
      },
    );
    return { results: items.map((item) => item.events.filter((e) => taken.delete(e.webhookEventId)).length) };
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
