import { createHash } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '#anpi/config';
import { JobName, QueueName } from '#anpi/queue';
import { telegramView, TelegramStore } from './telegram-store.js';
import type { TelegramView } from './dto/telegram.dto.js';
import { parseTelegram } from './telegram-parser.js';
import type { TelegramSummary } from './telegram.js';

export interface EvaluateTelegramJob {
  telegramId: string;
}

export const evaluateJobId = (telegramId: string) => `evaluate.${telegramId}`;

/**
 * One way in for every telegram, from the feed or by hand: parsed, stored once by its entry id,
 * and — when it is one anpi acts on — queued for evaluation in every tenant with rules.
 */
@Injectable()
export class TelegramIntake {
  private readonly logger = new Logger(TelegramIntake.name);

  constructor(
    private readonly store: TelegramStore,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Jma) private readonly queue: Queue,
  ) {}

  async accept(input: { xml: string; entryId?: string; via: 'feed' | 'manual' }): Promise<{ telegram: TelegramView; fresh: boolean }> {
    const entryId = input.entryId ?? `manual:${createHash('sha256').update(input.xml).digest('hex')}`;
    const parsed = parseTelegram(input.xml);
    const summary = parsed.ok ? parsed.summary : null;
    const { outcome, reason } = parsed.ok
      ? this.decide(parsed.summary, input.via)
      : { outcome: parsed.ignored ? ('ignored' as const) : ('rejected' as const), reason: parsed.reason };
    const { telegram, fresh } = await this.store.save({
      entryId,
      receivedVia: input.via,
      xml: input.xml,
      summary,
      kind: parsed.ok ? parsed.summary.kind : (parsed.kind ?? null),
      outcome,
      reason,
    });
    this.logger.log({ msg: 'jma telegram', telegramId: telegram.id, kind: telegram.kind, outcome: telegram.outcome, fresh, via: input.via });
    // Queued again when the same telegram comes again before its evaluation ran: the job id is the telegram's, so once.
    if (telegram.outcome === 'accepted' && !telegram.evaluatedAt) {
      const data: EvaluateTelegramJob = { telegramId: telegram.id };
      await this.queue.add(JobName.EvaluateTelegram, data, {
        jobId: evaluateJobId(telegram.id),
        attempts: 10,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: 1000,
      });
    }
    return { telegram: telegramView(telegram), fresh };
  }

  private decide(t: TelegramSummary, via: 'feed' | 'manual'): { outcome: 'accepted' | 'ignored'; reason: string | null } {
    if (t.status === '試験') return { outcome: 'ignored', reason: '試験 (test) telegrams are never acted on' };
    if (!t.hazard) return { outcome: 'ignored', reason: `${t.kind} (${t.title}) carries no intensities: the 震度 telegrams decide` };
    const ageMinutes = (Date.now() - new Date(t.reportedAt).getTime()) / 60_000;
    if (via === 'feed' && ageMinutes > this.config.jma.maxTelegramAgeMinutes)
      return {
        outcome: 'ignored',
        reason:
          `reported ${Math.round(ageMinutes)} minutes ago, over JMA_MAX_TELEGRAM_AGE_MINUTES (${this.config.jma.maxTelegramAgeMinutes}): ` +
          'too old to alert for',
      };
    return { outcome: 'accepted', reason: null };
  }
}
