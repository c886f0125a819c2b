import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '#anpi/config';
import { TenantDb, type Channel, type TenantId } from '#anpi/db';
import { JobName, PROVIDER_BACKOFF, QueueName } from '#anpi/queue';
import { sendJobId, type SendJobData } from './batches.js';

const SEND_JOB: Record<Channel, JobName> = {
  line: JobName.SendLine,
  email: JobName.SendEmail,
  sms: JobName.SendSms,
  lineworks: JobName.SendLineWorks,
};
const ALL: readonly Channel[] = ['line', 'lineworks', 'email', 'sms'];

/**
 * Queues one send job per channel batch of a round's pending deliveries, under deterministic ids,
 * so queueing a round again adds nothing. LINE first: it is what employees read first.
 */
@Injectable()
export class SendQueue {
  private readonly queues: Record<Channel, Queue>;

  constructor(
    private readonly db: TenantDb,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.LineDeliveries) line: Queue,
    @InjectQueue(QueueName.EmailDeliveries) email: Queue,
    @InjectQueue(QueueName.SmsDeliveries) sms: Queue,
    @InjectQueue(QueueName.LineWorksDeliveries) lineworks: Queue,
  ) {
    this.queues = { line, email, sms, lineworks };
  }

  /** Send jobs for these batches of one channel, known to exist (a part of LINE's at launch). */
  async enqueueBatches(tenantId: TenantId, broadcastId: string, round: number, channel: Channel, batches: number[]): Promise<number> {
    await this.queues[channel].addBulk(batches.map((batch) => this.job(tenantId, broadcastId, round, channel, batch)));
    return batches.length;
  }

  async enqueueRound(tenantId: TenantId, broadcastId: string, round: number, channels: readonly Channel[] = ALL): Promise<number> {
    if (channels.length === 0) return 0;
    const batches = await this.db.run(
      tenantId,
      (tx) =>
        tx.$queryRaw<{ channel: Channel; batch: number }[]>`
        SELECT channel, batch FROM deliveries
        WHERE broadcast_id = ${broadcastId}::uuid AND round = ${round} AND state = 'pending' AND channel = ANY(${channels}::"Channel"[])
        GROUP BY channel, batch ORDER BY channel, batch`,
    );
    for (const channel of ALL.filter((c) => channels.includes(c))) {
      const jobs = batches.filter((b) => b.channel === channel).map((b) => this.job(tenantId, broadcastId, round, channel, b.batch));
      for (let i = 0; i < jobs.length; i += 1000) await this.queues[channel].addBulk(jobs.slice(i, i + 1000));
    }
    return batches.length;
  }

  private job(tenantId: TenantId, broadcastId: string, round: number, channel: Channel, batch: number) {
    const { attempts, backoffMs } = this.config.delivery;
    return {
      name: SEND_JOB[channel],
      data: { tenantId, broadcastId, round, batch } satisfies SendJobData,
      opts: { jobId: sendJobId(channel, broadcastId, round, batch), attempts, backoff: { type: PROVIDER_BACKOFF, delay: backoffMs } },
    };
  }
}
