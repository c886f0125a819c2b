import { Processor } from '@nestjs/bullmq';
import type { AppConfig } from '#anpi/config';
import { QueueName } from '#anpi/queue';
import { DispatchingProcessor } from './dispatching-processor.js';
import { DELIVERY_WORKER } from './worker-tuning.js';

/** Send jobs, one queue per channel, each with its own concurrency (SEND_CONCURRENCY_*). */
@Processor(QueueName.LineDeliveries, DELIVERY_WORKER)
export class LineDeliveryProcessor extends DispatchingProcessor {
  protected override concurrency(config: AppConfig): number {
    return config.delivery.concurrency.line;
  }
}

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

@Processor(QueueName.LineWorksDeliveries, DELIVERY_WORKER)
export class LineWorksDeliveryProcessor extends DispatchingProcessor {
  protected override concurrency(config: AppConfig): number {
    return config.delivery.concurrency.lineworks;
  }
}
