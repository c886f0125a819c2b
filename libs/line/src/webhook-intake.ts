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
 * each event id (a redelivery finds it recorded and is dropped) and queue the event. Recording and
 * queueing share one transaction's fate: if queueing fails the record is rolled back, LINE gets an
 * error and redelivers.
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
    let fresh = 0;
    for (const event of events) {
      const taken = await this.platform.run(async (tx) => {
        const inserted = await tx.$executeRaw`
          INSERT INTO line_webhook_events (channel_key, webhook_event_id, type) VALUES (${channelKey}, ${event.webhookEventId}, ${event.type})
          ON CONFLICT DO NOTHING`;
        if (!inserted) return false;
        const data: LineEventJobData = { channelKey, event };
        await this.queue.add(JobName.HandleLineEvent, data, { jobId: lineEventJobId(channelKey, event.webhookEventId) });
        return true;
      });
      if (taken) fresh++;
    }
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
