import { Processor } from '@nestjs/bullmq';
import type { AppConfig } from '#anpi/config';
import { QueueName } from '#anpi/queue';
import { DispatchingProcessor } from './dispatching-processor.js';
import { PLAIN_WORKER } from './worker-tuning.js';

/** LINE webhook events, invitations, link codes and inbox emails: each small, several at a time. */
@Processor(QueueName.Line, PLAIN_WORKER)
export class LineEventProcessor extends DispatchingProcessor {
  protected override concurrency(config: AppConfig): number {
    return config.queue.concurrency.lineEvents;
  }
}

/** LINE WORKS callback events (無事です taps, messages to the bot): each small, several at a time. */
@Processor(QueueName.LineWorks, PLAIN_WORKER)
export class LineWorksEventProcessor extends DispatchingProcessor {
  protected override concurrency(config: AppConfig): number {
    return config.queue.concurrency.lineEvents;
  }
}
