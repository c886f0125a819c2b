import { Metrics } from '#anpi/metrics';
import type { Job } from 'bullmq';
import type { UsageWatch } from '#anpi/billing';
import type { ProviderRateLimiter } from '#anpi/channels';
import { asTenantId, type Broadcast, type Sql, type TenantDb } from '#anpi/db';
import type { TallyNotifier } from '#anpi/tallies';
import type { AcceptedMessage, DeliveryRecorder } from './delivery-recorder.js';
import { PerRecipientDelivery } from './per-recipient-delivery.js';
import { SendFailures } from './send-failures.js';
import type { PendingDelivery, SendBatch } from './send-batch.js';

const TENANT = asTenantId('0190f0e0-0000-7000-8000-000000000001');

function delivery(i: number): PendingDelivery {
  return {
    id: `d${i}`,
    contactIndex: 0,
    recipient: {
      id: `r${i}`,
      name: `社員 ${i}`,
      departmentName: null,
      emails: [`e${i}@example.jp`],
      mobiles: [`+8190000000${i}`],
      lineUserId: null,
      lineworksId: null,
      answeredAt: null,
    },
  };
}

/** The database is unreachable for the first `outages` units of work, then records what it is given. */
function flakyDatabase(outages: number) {
  const recorded: AcceptedMessage[][] = [];
  let left = outages;
  const db = {
    async sql<T>(_tenant: unknown, work: (sql: Sql) => Promise<T>): Promise<T> {
      if (left-- > 0) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      return work((async () => []) as Sql);
    },
  };
  const recorder = {
    async sent(_sql: Sql, _tenant: unknown, _broadcast: unknown, _channel: unknown, accepted: AcceptedMessage[]) {
      recorded.push(accepted);
      return accepted.length;
    },
    async completeIfDone() {},
  };
  return { db: db as unknown as TenantDb, recorder: recorder as unknown as DeliveryRecorder, recorded };
}

describe('PerRecipientDelivery', () => {
  const limiter = { acquire: async () => undefined } as unknown as ProviderRateLimiter;
  const tallies = { changed: async () => undefined } as unknown as TallyNotifier;
  const usage = { recorded: async () => undefined } as unknown as UsageWatch;
  const job = { attemptsMade: 0, opts: { attempts: 6 }, data: {} } as unknown as Job;
  const batch = (n: number): SendBatch => ({
    tenantId: TENANT,
    broadcast: { id: 'b1', drill: false } as Broadcast,
    round: 0,
    channels: {} as SendBatch['channels'],
    deliveries: Array.from({ length: n }, (_, i) => delivery(i)),
  });

  it('records messages the provider accepted once the database is back, instead of failing the job and sending them again', async () => {
    const { db, recorder, recorded } = flakyDatabase(3);
    const sends: string[] = [];
    const result = await new PerRecipientDelivery(recorder, db, limiter, tallies, usage, new SendFailures(recorder, db, new Metrics())).run(
      job,
      'sms',
      batch(3),
      { bucket: 'sms:test', perSecond: 100 },
      async (d) => {
        sends.push(d.id);
        return { messageId: `SM${d.id}`, units: 1 };
      },
    );
    expect(sends).toEqual(['d0', 'd1', 'd2']);
    expect(recorded).toEqual([
      [
        { deliveryId: 'd0', providerMessageId: 'SMd0', units: 1 },
        { deliveryId: 'd1', providerMessageId: 'SMd1', units: 1 },
        { deliveryId: 'd2', providerMessageId: 'SMd2', units: 1 },
      ],
    ]);
    expect(result).toEqual({ sent: 3, failed: 0 });
  });
});
