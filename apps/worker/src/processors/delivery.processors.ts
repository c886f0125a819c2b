import { Processor } from '@nestjs/bullmq';
import { QueueName, providerBackoff } from '#anpi/queue';
import { DispatchingProcessor } from './dispatching-processor.js';

// Send jobs retry on the provider's terms: Retry-After when given, exponential with jitter otherwise.
const settings = { backoffStrategy: providerBackoff };

/** Launch jobs: resolve recipients and queue the sends. */
@Processor(QueueName.Broadcasts)
export class BroadcastProcessor extends DispatchingProcessor {}

@Processor(QueueName.LineDeliveries, { settings })
export class LineDeliveryProcessor extends DispatchingProcessor {}

@Processor(QueueName.EmailDeliveries, { settings })
export class EmailDeliveryProcessor extends DispatchingProcessor {}

@Processor(QueueName.SmsDeliveries, { settings })
export class SmsDeliveryProcessor extends DispatchingProcessor {}
