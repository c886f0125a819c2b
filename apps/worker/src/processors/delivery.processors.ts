import { Processor } from '@nestjs/bullmq';
import type { AppConfig } from '#anpi/config';
import { QueueName } from '#anpi/queue';
import { DispatchingProcessor } from './dispatching-processor.js';
import { DELIVERY_WORKER, PLAIN_WORKER } from './worker-tuning.js';

/** Launch jobs: resolve recipients and queue the sends. */
@Processor(QueueName.Broadcasts, PLAIN_WORKER)
export class BroadcastProcessor extends DispatchingProcessor {}

@Processor(QueueName.LineDeliveries, DELIVERY_WORKER)
export class LineDeliveryProcessor extends DispatchingProcessor {}

@Processor(QueueName.EmailDeliveries, DELIVERY_WORKER)
export class EmailDeliveryProcessor extends DispatchingProcessor {
  protected override concurrency(config: AppConfig): number {
    return config.delivery.concurrency.email;
  }
}

@Processor(QueueName.SmsDeliveries, DELIVERY_WORKER)
export class SmsDeliveryProcessor extends DispatchingProcessor {
  protected override concurrency(config: AppConfig): number {
    return config.delivery.concurrency.sms;
  }
}

/** Tally recomputations: small, frequent, one broadcast at a time each. */
@Processor(QueueName.Tallies, PLAIN_WORKER)
export class TallyProcessor extends DispatchingProcessor {}

/** LINE webhook events, invitations, link codes and inbox emails: each small, several at a time. */
@Processor(QueueName.Line, PLAIN_WORKER)
export class LineEventProcessor extends DispatchingProcessor {}

/** Month closes, usage threshold emails and LINE reconciliation: one at a time, off the alert path. */
@Processor(QueueName.Billing, PLAIN_WORKER)
export class BillingProcessor extends DispatchingProcessor {
  protected override concurrency(): number {
    return 1;
  }
}
