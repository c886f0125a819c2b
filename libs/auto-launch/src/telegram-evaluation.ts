import { Injectable, Logger } from '@nestjs/common';
import { LaunchInProgressError } from '#anpi/alerts';
import { PlatformDb, asTenantId } from '#anpi/db';
import { TelegramStore, type EvaluateTelegramJob, type TelegramEffectsView } from '#anpi/jma';
import { JobHandler, JobName } from '#anpi/queue';
import { AutoLaunchPlanner } from './auto-launch-planner.js';

/**
 * Evaluates one accepted telegram in every tenant that has an enabled rule. A tenant whose
 * decision fails does not stop the others; the job then fails and is retried, and the tenants
 * already decided find their decision recorded (the telegram's id is on their row) and change
 * nothing. What it caused is counted on the telegram for the platform operator.
 */
@Injectable()
export class TelegramEvaluation {
  private readonly logger = new Logger(TelegramEvaluation.name);

  constructor(
    private readonly platform: PlatformDb,
    private readonly store: TelegramStore,
    private readonly planner: AutoLaunchPlanner,
  ) {}

  @JobHandler(JobName.EvaluateTelegram)
  async evaluate(data: EvaluateTelegramJob): Promise<TelegramEffectsView> {
    const effects: TelegramEffectsView = { launched: 0, added: 0, cancelled: 0, suppressed: 0, unchanged: 0, unmatched: 0 };
    const telegram = await this.store.get(data.telegramId);
    if (!telegram || telegram.outcome !== 'accepted') return effects;
    const tenants = await this.platform.run((tx) => tx.$queryRaw<{ id: string }[]>`SELECT id FROM anpi_auto_launch_tenants()`);
    const failures: string[] = [];
    for (const { id } of tenants) {
      try {
        effects[await this.planner.apply(asTenantId(id), telegram)]++;
      } catch (error) {
        failures.push(id);
        // The alert's launch is still creating deliveries: an expected wait, retried, not a failure to look into.
        if (error instanceof LaunchInProgressError)
          this.logger.warn({ msg: 'automatic launch decision waits for the launch', tenantId: id, telegramId: telegram.id });
        else this.logger.error({ msg: 'automatic launch decision failed', tenantId: id, telegramId: telegram.id, err: (error as Error).message });
      }
    }
    if (failures.length) throw new Error(`automatic launch failed in ${failures.length} of ${tenants.length} tenants; retrying`);
    await this.store.recordEffects(telegram.id, effects);
    this.logger.log({ msg: 'telegram evaluated', telegramId: telegram.id, tenants: tenants.length, ...effects });
    return effects;
  }
}
