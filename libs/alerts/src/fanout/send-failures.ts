import { Injectable } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { PermanentDeliveryError } from '#anpi/channels';
import { TenantDb, type Channel, type TenantId } from '#anpi/db';
import { Metrics } from '#anpi/metrics';
import { isFinalAttempt } from '#anpi/queue';
import { DeliveryRecorder } from './delivery-recorder.js';
import { waitAsProviderAsked } from './provider-throttle.js';

/** A provider refused this message for good (bad address, blocked): retrying cannot help. */
export function isPermanentRefusal(error: unknown): error is PermanentDeliveryError {
  return error instanceof PermanentDeliveryError;
}

/**
 * The one send-failure policy, for every sender (LINE, email, SMS and the channels to come): what
 * becomes of deliveries a provider did not accept, and what the send job does next.
 * - throttled (429/503 asking to wait, or LINE's 429): the deliveries note the attempt, the job
 *   waits as asked without spending an attempt (DelayedError);
 * - refused for good: the deliveries fail with the provider's reason, the job goes on;
 * - anything else on the last attempt: the deliveries fail with the reason, the job fails;
 * - anything else before it: the deliveries note the attempt, the job is retried (the error is
 *   rethrown, so BullMQ's backoff applies).
 */
@Injectable()
export class SendFailures {
  constructor(
    private readonly recorder: DeliveryRecorder,
    private readonly db: TenantDb,
    private readonly metrics: Metrics,
  ) {}

  /**
   * After a request for the whole batch failed (a LINE multicast). Returns only when the
   * deliveries are settled for good (a permanent refusal); otherwise throws what the job must.
   */
  async afterBatchError(job: Job, tenantId: TenantId, broadcastId: string, ids: string[], error: unknown): Promise<void> {
    if (isPermanentRefusal(error))
      return this.refused(
        tenantId,
        broadcastId,
        ids.map((id) => ({ id, reason: error.message })),
        channelOf(job) as Channel,
      );
    return this.afterTransientError(job, tenantId, broadcastId, ids, error);
  }

  /** After a transient failure: the deliveries still unsent wait, are retried or (last attempt) fail. Always throws. */
  async afterTransientError(job: Job, tenantId: TenantId, broadcastId: string, ids: string[], error: unknown): Promise<never> {
    const reason = (error as Error).message;
    const channel = channelOf(job);
    const waited = await waitAsProviderAsked(job, error);
    if (waited !== null) {
      this.metrics.providerErrors.inc({ channel, kind: 'throttled' });
      this.metrics.throttleWaits.inc({ channel }, waited / 1000);
      await this.db.run(tenantId, (tx) => this.recorder.attempted(tx, tenantId, ids, reason));
      throw new DelayedError();
    }
    this.metrics.providerErrors.inc({ channel, kind: 'transient' });
    if (!isFinalAttempt(job)) {
      await this.db.run(tenantId, (tx) => this.recorder.attempted(tx, tenantId, ids, reason));
      throw error;
    }
    await this.db.run(tenantId, (tx) => this.recorder.failed(tx, tenantId, ids, reason));
    await this.recorder.completeIfDone(tenantId, broadcastId);
    throw error;
  }

  /** Deliveries a provider refused for good, each with its reason. */
  async refused(tenantId: TenantId, broadcastId: string, refusals: { id: string; reason: string }[], channel?: Channel): Promise<void> {
    if (refusals.length === 0) return;
    if (channel) this.metrics.providerErrors.inc({ channel, kind: 'permanent' }, refusals.length);
    await this.db.run(tenantId, async (tx) => {
      for (const r of refusals) await this.recorder.failed(tx, tenantId, [r.id], r.reason);
    });
    await this.recorder.completeIfDone(tenantId, broadcastId);
  }

  /** Nothing to send with (no channel credentials for the tenant or the platform): the batch fails with the reason. */
  async cannotSend(tenantId: TenantId, broadcastId: string, ids: string[], reason: string): Promise<void> {
    await this.db.run(tenantId, (tx) => this.recorder.failed(tx, tenantId, ids, reason));
    await this.recorder.completeIfDone(tenantId, broadcastId);
  }
}

/** A send job's channel, from its name (delivery.line, delivery.email, …). */
function channelOf(job: Job): Channel {
  const name = job.name ?? '';
  return name.slice(name.indexOf('.') + 1) as Channel;
}
