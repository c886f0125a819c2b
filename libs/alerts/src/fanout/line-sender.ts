import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppConfig } from '#anpi/config';
import { LineChannel, ProviderRateLimiter } from '#anpi/channels';
import { TenantDb, retryWhileDatabaseUnavailable } from '#anpi/db';
import { JobHandler, JobName } from '#anpi/queue';
import { UsageWatch } from '#anpi/billing';
import { TallyNotifier } from '#anpi/tallies';
import { lineRetryKey, type SendJobData } from './batches.js';
import { DeliveryRecorder, SENT_RECORDING_PATIENCE } from './delivery-recorder.js';
import { MessageComposer } from './message-composer.js';
import { SendBatchLoader } from './send-batch.js';
import { SendFailures } from './send-failures.js';

/** One LINE multicast per batch of up to 500 recipients, with a retry key fixed for the batch. */
@Injectable()
export class LineSender {
  constructor(
    private readonly loader: SendBatchLoader,
    private readonly line: LineChannel,
    private readonly limiter: ProviderRateLimiter,
    private readonly composer: MessageComposer,
    private readonly recorder: DeliveryRecorder,
    private readonly db: TenantDb,
    private readonly config: AppConfig,
    private readonly tallies: TallyNotifier,
    private readonly usage: UsageWatch,
    private readonly failures: SendFailures,
  ) {}

  @JobHandler(JobName.SendLine)
  async send(data: SendJobData, job: Job): Promise<{ sent: number; duplicate?: boolean }> {
    const batch = await this.loader.load(data, 'line');
    if (!batch) return { sent: 0 };
    const { tenantId, broadcast, channels, deliveries } = batch;
    const ids = deliveries.map((d) => d.id);
    if (!channels.line) {
      await this.failures.cannotSend(tenantId, broadcast.id, ids, 'no LINE channel configured for this tenant or the platform');
      return { sent: 0 };
    }
    const messages = this.composer.line(broadcast, batch.round);
    const to = [...new Set(deliveries.map((d) => d.recipient.lineUserId!))];
    let result;
    try {
      await this.limiter.acquire(`line:${channels.line.channelKey}`, this.config.line.multicastRatePerSecond);
      result = await this.line.multicast(channels.line, to, messages, lineRetryKey(broadcast.id, data.batch, data.round ?? 0));
    } catch (error) {
      await this.failures.afterBatchError(job, tenantId, broadcast.id, ids, error);
      return { sent: 0 };
    }
    // As for email and SMS; a resend would be harmless here (the retry key), but a wasted request.
    const sent = await retryWhileDatabaseUnavailable(
      () =>
        this.db.sql(tenantId, (sql) =>
          this.recorder.sent(
            sql,
            tenantId,
            broadcast,
            'line',
            ids.map((deliveryId) => ({ deliveryId, providerMessageId: result.requestId, units: messages.length })),
          ),
        ),
      SENT_RECORDING_PATIENCE,
    );
    await this.recorder.completeIfDone(tenantId, broadcast.id);
    await this.tallies.changed(tenantId, broadcast.id);
    await this.usage.recorded(tenantId);
    return { sent, ...(result.duplicate && { duplicate: true }) };
  }
}
