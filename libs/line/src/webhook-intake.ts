import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { GroupCommitQueue, type BatchLimits } from '#anpi/db';
import { JobName, QueueName } from '#anpi/queue';
import { lineEventGroupJobId, lineEventJobId, type LineEvent, type LineEventGroupJobData, type LineEventJobData } from './events/line-event.js';
import { LineChannelDirectory } from './line-channel-directory.js';
import { isValidLineSignature } from './webhook-signature.js';

export type IntakeResult = { status: 'accepted'; events: number } | { status: 'unauthorized' } | { status: 'malformed' };

/** A webhook request's events not repeated within it (a redelivery of one may come in another request). */
interface IntakeItem {
  key: string;
  channelKey: string;
  events: LineEvent[];
}

// Requests queued as one job at most, and Redis writes at once: under a flood the requests that
// arrive while one write is out go together in the next.
const INTAKE_LIMITS: BatchLimits = { groupSize: 100, inFlight: 2 };

/**
 * The webhook's only work while LINE waits: check the signature against the raw bytes and queue
 * the events, without touching the database. Requests that arrive together are queued together,
 * their events as one job (on the day of an earthquake LINE sends hundreds a second; the worker
 * handles a group's events at once); alone, a request goes at once, and a lone event is its own
 * job. Each job carries a fresh claim token: the worker records every event id under it before
 * handling, and drops an event another job claimed first (a redelivery; see LineEventClaims). If
 * queueing fails, LINE gets an error and redelivers.
 */
@Injectable()
export class LineWebhookIntake {
  private readonly logger = new Logger('LineWebhook');
  private readonly groups = new GroupCommitQueue<IntakeItem, void, string>(
    (channelKey, items) => this.queueGroup(channelKey, items),
    INTAKE_LIMITS,
    (item) => item.channelKey,
  );

  constructor(
    private readonly channels: LineChannelDirectory,
    @InjectQueue(QueueName.Line) private readonly queue: Queue,
  ) {}

  async accept(channelKey: string, rawBody: unknown, signature: string | undefined): Promise<IntakeResult> {
    const channel = await this.channels.find(channelKey);
    if (!channel || !Buffer.isBuffer(rawBody) || !isValidLineSignature(channel.secret, rawBody, signature)) return { status: 'unauthorized' };
    const events = parseEvents(rawBody);
    if (!events) return { status: 'malformed' };
    const unique = [...new Map(events.map((e) => [e.webhookEventId, e])).values()];
    if (unique.length) await this.groups.submit({ key: randomUUID(), channelKey, events: unique });
    this.logger.log({ msg: 'line webhook', channelKey, tenantId: channel.tenantId, events: events.length });
    return { status: 'accepted', events: events.length };
  }

  /** One job for a group of requests (their events, each once), under a new claim token. */
  private async queueGroup(channelKey: string, items: IntakeItem[]): Promise<{ results: void[] }> {
    const events = [...new Map(items.flatMap((item) => item.events).map((e) => [e.webhookEventId, e])).values()];
    const claim = randomUUID();
    if (events.length === 1) {
      const [event] = events as [LineEvent];
      await this.queue.add(JobName.HandleLineEvent, { channelKey, event, claim } satisfies LineEventJobData, {
        jobId: lineEventJobId(channelKey, event.webhookEventId),
      });
    } else {
      await this.queue.add(JobName.HandleLineEvents, { channelKey, events, claim } satisfies LineEventGroupJobData, {
        jobId: lineEventGroupJobId(channelKey, claim),
      });
    }
    return { results: items.map(() => undefined) };
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
