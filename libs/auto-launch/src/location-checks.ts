import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AutomaticBroadcasts } from '#anpi/alerts';
import { AuditLog } from '#anpi/audit';
import { TenantDb, asTenantId, type TenantId } from '#anpi/db';
import { JobHandler, JobName, QueueName } from '#anpi/queue';

export interface LocationCheckJob {
  tenantId: string;
  autoLaunchId: string;
}

/**
 * After an automatic launch to the affected area, travellers and visitors were missed (2024
 * Noto): `locationCheckMinutes` after it, everyone not targeted is asked whether they are in the
 * affected area now; those who say yes join the broadcast's tally (see the answer page).
 */
@Injectable()
export class LocationChecks {
  private readonly logger = new Logger(LocationChecks.name);

  constructor(
    private readonly db: TenantDb,
    private readonly broadcasts: AutomaticBroadcasts,
    private readonly audit: AuditLog,
    @InjectQueue(QueueName.Broadcasts) private readonly queue: Queue,
  ) {}

  async schedule(tenantId: TenantId, autoLaunchId: string, at: Date): Promise<void> {
    const data: LocationCheckJob = { tenantId, autoLaunchId };
    await this.queue.add(JobName.CheckLocations, data, {
      jobId: `location-check.${autoLaunchId}`,
      delay: Math.max(0, at.getTime() - Date.now()),
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
    });
  }

  @JobHandler(JobName.CheckLocations)
  async run(data: LocationCheckJob): Promise<{ asked: number; skipped?: string }> {
    const tenantId = asTenantId(data.tenantId);
    const row = await this.db.run(tenantId, (tx) => tx.autoLaunch.findFirst({ where: { id: data.autoLaunchId, tenantId } }));
    if (!row?.broadcastId || row.state !== 'launched') return { asked: 0, skipped: row ? row.state : 'gone' };
    const asked = await this.broadcasts.askLocations(tenantId, row.broadcastId);
    await this.db.run(tenantId, (tx) =>
      this.audit.record(
        tx,
        tenantId,
        { type: 'jma', id: null },
        {
          action: 'auto_launch.location_check',
          resourceType: 'broadcast',
          resourceId: row.broadcastId,
          details: { asked, telegramIds: row.telegramIds },
        },
      ),
    );
    this.logger.log({ msg: 'location check sent', tenantId, broadcastId: row.broadcastId, asked });
    return { asked };
  }
}
