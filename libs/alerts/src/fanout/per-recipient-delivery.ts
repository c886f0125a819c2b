import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { UsageWatch } from '#anpi/billing';
import { ProviderRateLimiter, ProviderThrottledError } from '#anpi/channels';
import { TenantDb, retryWhileDatabaseUnavailable, type Channel } from '#anpi/db';
import { TallyNotifier } from '#anpi/tallies';
import { DeliveryRecorder, SENT_RECORDING_PATIENCE, type AcceptedMessage } from './delivery-recorder.js';
import { stillPending, type PendingDelivery, type SendBatch } from './send-batch.js';
import { isPermanentRefusal, SendFailures } from './send-failures.js';

export type SendOne = (delivery: PendingDelivery) => Promise<{ messageId: string; units: number }>;

/** A provider's rate: per second in fixed windows (Twilio, SMTP), or per minute in evenly spaced slots (LINE WORKS). */
export type SendRate = { bucket: string; perSecond: number } | { bucket: string; perMinute: number };

/** Messages of a batch in flight at once; also the most a crash can make a retry send twice. */
export const MESSAGES_IN_FLIGHT = 25;

/**
 * Email and SMS: one message per recipient address (neither has an idempotency key), sent a group
 * at a time, the group's accepted messages recorded in one statement as soon as the group is done;
 * each group after the first only to deliveries still pending (a cancel stops the rest).
 * A crash can therefore repeat at most one group. A permanent refusal fails that delivery and the
 * rest go on; a transient one leaves it and the rest of the batch for the retry (or fails them on
 * the last attempt) and rethrows, so BullMQ retries the job.
 */
@Injectable()
export class PerRecipientDelivery {
  constructor(
    private readonly recorder: DeliveryRecorder,
    private readonly db: TenantDb,
    private readonly limiter: ProviderRateLimiter,
    private readonly tallies: TallyNotifier,
    private readonly usage: UsageWatch,
    private readonly failures: SendFailures,
  ) {}

  async run(job: Job, channel: Channel, batch: SendBatch, rate: SendRate, sendOne: SendOne): Promise<{ sent: number; failed: number }> {
    const { tenantId, broadcast } = batch;
    try {
      return await this.inGroups(job, channel, batch, rate, sendOne);
    } finally {
      await this.tallies.changed(tenantId, broadcast.id);
      await this.usage.recorded(tenantId);
    }
  }

  private async inGroups(job: Job, channel: Channel, batch: SendBatch, rate: SendRate, sendOne: SendOne): Promise<{ sent: number; failed: number }> {
    const { tenantId, broadcast, deliveries } = batch;
    const size = Math.max(1, Math.min(MESSAGES_IN_FLIGHT, 'perSecond' in rate ? rate.perSecond : Math.floor(rate.perMinute / 60)));
    let sent = 0;
    let failed = 0;
    for (let start = 0; start < deliveries.length; start += size) {
      let group = deliveries.slice(start, start + size);
      if (start > 0) group = await stillPending(this.db, tenantId, group);
      if (group.length === 0) continue;
      const results = await this.sendGroup(group, rate, sendOne);
      const accepted: AcceptedMessage[] = [];
      const refused: { id: string; reason: string }[] = [];
      let transient: Error | null = null;
      for (const [i, result] of results.entries()) {
        if (result.status === 'fulfilled') accepted.push({ deliveryId: group[i]!.id, providerMessageId: result.value.messageId, units: result.value.units });
        else if (isPermanentRefusal(result.reason)) refused.push({ id: group[i]!.id, reason: result.reason.message });
        else transient ??= result.reason as Error;
      }
      sent += await retryWhileDatabaseUnavailable(
        () => this.db.sql(tenantId, (sql) => this.recorder.sent(sql, tenantId, broadcast, channel, accepted)),
        SENT_RECORDING_PATIENCE,
      );
      await this.failures.refused(tenantId, broadcast.id, refused, channel);
      failed += refused.length;
      if (transient) {
        const settled = new Set([...accepted.map((a) => a.deliveryId), ...refused.map((r) => r.id)]);
        const rest = deliveries
          .slice(start)
          .filter((d) => !settled.has(d.id))
          .map((d) => d.id);
        await this.failures.afterTransientError(job, tenantId, broadcast.id, rest, transient);
      }
    }
    await this.recorder.completeIfDone(tenantId, broadcast.id);
    return { sent, failed };
  }

  /** One group: all at once within a second's slots, or each at its own evenly spaced slot. */
  private async sendGroup(group: PendingDelivery[], rate: SendRate, sendOne: SendOne): Promise<PromiseSettledResult<{ messageId: string; units: number }>[]> {
    if ('perSecond' in rate) {
      await this.limiter.acquire(rate.bucket, rate.perSecond, group.length);
      return Promise.allSettled(group.map((delivery) => sendOne(delivery)));
    }
    const waits = await this.limiter.reserveSpaced(rate.bucket, rate.perMinute, group.length);
    // Once the provider throttles one, the rest of the group waits with it (left for the job's retry).
    let throttled: ProviderThrottledError | null = null;
    return Promise.allSettled(
      group.map(async (delivery, i) => {
        await new Promise((resolve) => setTimeout(resolve, waits[i]));
        if (throttled) throw throttled;
        try {
          return await sendOne(delivery);
        } catch (error) {
          if (error instanceof ProviderThrottledError) throttled ??= error;
          throw error;
        }
      }),
    );
  }
}
