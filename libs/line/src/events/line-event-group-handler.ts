import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { JobHandler, JobName, QueueName } from '#anpi/queue';
import { lineEventJobId, type LineEvent, type LineEventGroupJobData, type LineEventJobData } from './line-event.js';
import { LineEventClaims } from './line-event-claims.js';
import { LineEventPrefetch } from './line-event-prefetch.js';
import { LineEventRouter } from './line-event-router.js';

/** Events of one group handled at once: each waits on the database and on LINE's reply API, not on CPU. */
const EVENTS_IN_FLIGHT = 24;

/**
 * The events of webhook requests queued together, in one job: on the day of an earthquake tens
 * of thousands of taps arrive in a minute, and a job per event spent more on the queue's own round
 * trips than on the taps, while reply tokens expired. The group first claims its events (one
 * statement; another job's claim means a redelivery, dropped). Each event is handled as its own
 * job would be; one that fails is queued alone (line.event, with its own retries and the group's
 * claim token) and the others are done.
 * Only if that queueing fails does the group fail, after writing down what it did, so its retry
 * handles nothing twice. (A worker killed mid-group can repeat a reply as a push; a lone event's
 * job has the same bound, for one event.)
 */
@Injectable()
export class LineEventGroupHandler {
  private readonly logger = new Logger('LineEvents');

  constructor(
    private readonly router: LineEventRouter,
    private readonly prefetch: LineEventPrefetch,
    private readonly claims: LineEventClaims,
    @InjectQueue(QueueName.Line) private readonly queue: Queue,
  ) {}

  @JobHandler(JobName.HandleLineEvents)
  async handle(data: LineEventGroupJobData, job: Job<LineEventGroupJobData>): Promise<{ handled: number; requeued: number }> {
    const done = new Set(data.done);
    // Those this group claims (a retry finds its own claims again), less those handled before a failure.
    const todo = (await this.claims.claim(data.channelKey, data.events, data.claim)).filter((event) => !done.has(event.webhookEventId));
    const lookups = await this.prefetch.read(data.channelKey, todo);
    const failed: LineEvent[] = [];
    let next = 0;
    const lane = async () => {
      for (let event = todo[next++]; event; event = todo[next++]) {
        try {
          await this.router.route(data.channelKey, event, lookups);
          done.add(event.webhookEventId);
        } catch (error) {
          failed.push(event);
          this.logger.warn({ msg: 'line event failed; queued alone', channelKey: data.channelKey, webhookEventId: event.webhookEventId, error: String(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(EVENTS_IN_FLIGHT, todo.length) }, lane));
    if (failed.length) {
      try {
        await this.queue.addBulk(
          failed.map((event) => ({
            name: JobName.HandleLineEvent,
            data: { channelKey: data.channelKey, event, claim: data.claim } satisfies LineEventJobData,
            opts: { jobId: lineEventJobId(data.channelKey, event.webhookEventId) },
          })),
        );
      } catch (error) {
        await job.updateData({ ...data, done: [...done] });
        throw error;
      }
    }
    return { handled: todo.length - failed.length, requeued: failed.length };
  }
}
