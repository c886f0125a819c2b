import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { PlatformDb } from '#anpi/db';
import { JobName, QueueName } from '#anpi/queue';
import { LineWorksBotDirectory } from './bot-directory.js';
import { isValidWorksSignature } from './callback-signature.js';
import { lineworksEventKey, type LineWorksEvent, type LineWorksEventJobData } from './events/lineworks-event.js';

export type CallbackResult = { status: 'accepted'; fresh: boolean } | { status: 'unauthorized' } | { status: 'malformed' };

/**
 * The callback's only work while LINE WORKS waits: check the signature against the raw bytes
 * with the bot's secret, record the event's key (a redelivery finds it and is dropped) and queue
 * it. Recording and queueing share one transaction's fate, as for LINE's webhook.
 */
@Injectable()
export class LineWorksCallbackIntake {
  private readonly logger = new Logger('LineWorksCallback');

  constructor(
    private readonly bots: LineWorksBotDirectory,
    private readonly platform: PlatformDb,
    @InjectQueue(QueueName.LineWorks) private readonly queue: Queue,
  ) {}

  async accept(botId: string, rawBody: unknown, signature: string | undefined): Promise<CallbackResult> {
    const bot = await this.bots.find(botId);
    if (!bot || !Buffer.isBuffer(rawBody) || !isValidWorksSignature(bot.secret, rawBody, signature)) return { status: 'unauthorized' };
    const event = parseEvent(rawBody);
    if (!event) return { status: 'malformed' };
    const eventKey = lineworksEventKey(event);
    const fresh = await this.platform.run(async (tx) => {
      const inserted = await tx.$executeRaw`
        INSERT INTO lineworks_callback_events (bot_id, event_key, type) VALUES (${botId}, ${eventKey}, ${event.type})
        ON CONFLICT DO NOTHING`;
      if (!inserted) return false;
      const data: LineWorksEventJobData = { botId, eventKey, event };
      await this.queue.add(JobName.HandleLineWorksEvent, data, { jobId: `lineworks.${botId}.${eventKey}` });
      return true;
    });
    this.logger.log({ msg: 'lineworks callback', botId, tenantId: bot.tenantId, type: event.type, fresh });
    return { status: 'accepted', fresh };
  }
}

function parseEvent(raw: Buffer): LineWorksEvent | null {
  try {
    const body = JSON.parse(raw.toString('utf8')) as unknown;
    if (typeof body !== 'object' || body === null || typeof (body as LineWorksEvent).type !== 'string') return null;
    return body as LineWorksEvent;
  } catch {
    return null;
  }
}
