import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { RedisService } from '#anpi/redis';
import { JobName, QueueName, queueCoalesced } from '#anpi/queue';

export interface RefreshTallyJobData {
  tenantId: string;
  broadcastId: string;
}

// Answers and deliveries arrive by the thousand a second; the tally is recomputed at most once
// per window, shortly after the first change, so a dashboard sees it within a second. On a huge
// broadcast, where one recomputation takes seconds, the window grows to four times that, so the
// tally never takes more than a fifth of the time the fan-out and the answers need.
const COALESCE_MS = 500;
const COST_FACTOR = 4;
// A refresh this process queued runs no earlier than its window's end; a change recorded before
// then (minus this margin) is in it, so this process need not ask Redis again until then.
const COVERED_MARGIN_MS = 100;

/** Says "this broadcast's numbers changed"; the worker recomputes and announces the tally. */
@Injectable()
export class TallyNotifier {
  private readonly logger = new Logger(TallyNotifier.name);
  /** Broadcast id → until when a refresh this process queued covers every change (epoch ms). */
  private readonly coveredUntil = new Map<string, number>();

  constructor(
    private readonly redis: RedisService,
    @InjectQueue(QueueName.Tallies) private readonly queue: Queue,
  ) {}

  /**
   * Best effort: a tally is recomputed on the next change anyway, so Redis being unreachable here
   * must never fail the answer or the send that was already recorded.
   */
  async changed(tenantId: string, broadcastId: string): Promise<void> {
    // Called after the change committed: a refresh queued earlier that has not started yet reads it.
    if ((this.coveredUntil.get(broadcastId) ?? 0) > Date.now()) return;
    try {
      await this.schedule(tenantId, broadcastId);
    } catch (error) {
      this.logger.warn({ msg: 'tally refresh not scheduled', tenantId, broadcastId, err: (error as Error).message });
    }
  }

  private async schedule(tenantId: string, broadcastId: string): Promise<void> {
    const cost = Number((await this.redis.get(this.costKey(broadcastId))) ?? 0);
    const window = Math.max(COALESCE_MS, cost * COST_FACTOR);
    const data: RefreshTallyJobData = { tenantId, broadcastId };
    const asked = Date.now();
    const queued = await queueCoalesced(this.redis, this.queue, {
      key: this.redis.key('tally-scheduled', broadcastId),
      windowMs: window,
      name: JobName.RefreshTally,
      data,
      attempts: 3,
    });
    if (queued) this.cover(broadcastId, asked + window - COVERED_MARGIN_MS);
  }

  private cover(broadcastId: string, until: number): void {
    if (this.coveredUntil.size >= 1_000) {
      const now = Date.now();
      for (const [id, t] of this.coveredUntil) if (t <= now) this.coveredUntil.delete(id);
    }
    this.coveredUntil.set(broadcastId, until);
  }

  /** How long the last recomputation took, for the window above. */
  async recordCost(broadcastId: string, ms: number): Promise<void> {
    await this.redis.set(this.costKey(broadcastId), String(Math.round(ms)), 'EX', 3600);
  }

  private costKey(broadcastId: string): string {
    return this.redis.key('tally-cost', broadcastId);
  }
}
