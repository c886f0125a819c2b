import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppConfig } from '#anpi/config';
import { EmailFailover, EmailProviders, ProviderRateLimiter, type EmailAccount, type EmailRecipient, type EmailRoute } from '#anpi/channels';
import { TenantDb, retryWhileDatabaseUnavailable } from '#anpi/db';
import { UsageWatch } from '#anpi/billing';
import { JobHandler, JobName } from '#anpi/queue';
import { TallyNotifier } from '#anpi/tallies';
import type { SendJobData } from './batches.js';
import { DeliveryRecorder, SENT_RECORDING_PATIENCE } from './delivery-recorder.js';
import { EmailProviderNotes } from './email-provider-notes.js';
import { MessageComposer } from './message-composer.js';
import { SendBatchLoader, stillPending, type SendBatch } from './send-batch.js';
import { SendFailures } from './send-failures.js';

/**
 * Emails of one send job (up to 1,000 recipients), in the provider's batches: SendGrid requests of
 * up to SENDGRID_BATCH_SIZE personalizations, SMTP groups of messages in flight. Each batch's
 * accepted messages are recorded as soon as the provider answers, so a retry never resends them;
 * a batch whose answer was lost is the most a retry can repeat. When the primary provider fails
 * past the threshold, the rest goes through the secondary (EmailFailover), and the broadcast says so.
 */
@Injectable()
export class EmailSender {
  constructor(
    private readonly loader: SendBatchLoader,
    private readonly providers: EmailProviders,
    private readonly failover: EmailFailover,
    private readonly limiter: ProviderRateLimiter,
    private readonly composer: MessageComposer,
    private readonly recorder: DeliveryRecorder,
    private readonly failures: SendFailures,
    private readonly notes: EmailProviderNotes,
    private readonly db: TenantDb,
    private readonly tallies: TallyNotifier,
    private readonly usage: UsageWatch,
    private readonly config: AppConfig,
  ) {}

  @JobHandler(JobName.SendEmail)
  async send(data: SendJobData, job: Job): Promise<{ sent: number; failed: number }> {
    const batch = await this.loader.load(data, 'email');
    if (!batch) return { sent: 0, failed: 0 };
    try {
      return await this.inBatches(job, batch);
    } finally {
      await this.tallies.changed(batch.tenantId, batch.broadcast.id);
      await this.usage.recorded(batch.tenantId);
    }
  }

  private async inBatches(job: Job, batch: SendBatch): Promise<{ sent: number; failed: number }> {
    const { tenantId, broadcast, channels } = batch;
    const route = channels.emailRoute;
    const template = this.composer.emailTemplate(broadcast, batch.round);
    let remaining: EmailRecipient[] = batch.deliveries.map((d) => ({
      id: d.id,
      to: d.recipient.emails[d.contactIndex]!,
      values: this.composer.emailValues(broadcast, d.recipient),
    }));
    let sent = 0;
    let failed = 0;
    for (let first = true; remaining.length > 0; first = false) {
      // SMTP goes a group at a time: a cancel meanwhile stops the rest.
      if (!first) remaining = await stillPending(this.db, tenantId, remaining);
      if (remaining.length === 0) break;
      const { account, role } = await this.failover.choose(route);
      const provider = this.providers.get(account.kind);
      const group = remaining.slice(0, account.kind === 'smtp' ? Math.min(provider.batchSize, this.config.email.ratePerSecond) : provider.batchSize);
      await this.throttle(account, group.length);
      const result = await provider.sendBatch(account, { from: channels.email, ...template, recipients: group, trackDeliveries: true });
      const accepted = result.accepted.map((a) => ({ deliveryId: a.id, providerMessageId: a.messageId, units: 1, emailProvider: account.kind }));
      sent += await retryWhileDatabaseUnavailable(
        () => this.db.sql(tenantId, (sql) => this.recorder.sent(sql, tenantId, broadcast, 'email', accepted)),
        SENT_RECORDING_PATIENCE,
      );
      await this.failures.refused(tenantId, broadcast.id, result.refused, 'email');
      failed += result.refused.length;
      const settled = new Set([...result.accepted.map((a) => a.id), ...result.refused.map((r) => r.id)]);
      remaining = remaining.filter((r) => !settled.has(r.id));
      if (route.secondary && role === 'secondary') await this.notes.note(tenantId, broadcast.id, 'failover', route.primary.kind, route.secondary.kind, null);
      if (!result.failure) {
        if (route.secondary && role !== 'secondary' && accepted.length > 0) await this.backOnPrimary(batch, route, role);
        continue;
      }
      if (await this.failover.failed(route, role, result.failure)) {
        // The primary is down: the rest of this job goes straight to the secondary.
        await this.notes.note(tenantId, broadcast.id, 'failover', route.primary.kind, route.secondary!.kind, result.failure.message);
        continue;
      }
      await this.failures.afterTransientError(
        job,
        tenantId,
        broadcast.id,
        remaining.map((r) => r.id),
        result.failure,
      );
    }
    await this.recorder.completeIfDone(tenantId, broadcast.id);
    return { sent, failed };
  }

  private async backOnPrimary(batch: SendBatch, route: EmailRoute, role: 'primary' | 'probe' | 'secondary'): Promise<void> {
    await this.failover.succeeded(route, role);
    await this.notes.note(batch.tenantId, batch.broadcast.id, 'recovered', route.secondary!.kind, route.primary.kind, null);
  }

  /** SMTP: messages a second per sender; SendGrid: requests a second per account. */
  private async throttle(account: EmailAccount, recipients: number): Promise<void> {
    if (account.kind === 'sendgrid') await this.limiter.acquire(`email:sendgrid:${account.key}`, this.config.sendgrid.requestsPerSecond);
    else await this.limiter.acquire(`email:smtp:${account.key}`, this.config.email.ratePerSecond, recipients);
  }
}
