import { DeliveryRecorder } from '../libs/alerts/src/fanout/delivery-recorder.js';
import { TenantDb, asTenantId, type Sql } from '#anpi/db';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';
import { bearer, DirectoryFactory, Factory, type TenantWithAdmin } from './support/factories.js';

/**
 * "Is anything of this broadcast still pending?" runs after every send job. Under row-level
 * security an enum condition cannot drive an index scan, and the statistics taken at launch say
 * every delivery is pending; these tests hold the partial index of pending deliveries
 * (deliveries_pending_idx) and anpi_deliveries_pending to what they are for, and to the tenant.
 */
describe('pending deliveries', () => {
  let h: DeliveryHarness;
  let db: TenantDb;
  let a: TenantWithAdmin;
  let b: TenantWithAdmin;
  let broadcastId: string;

  const inTenant = <T>(tenant: TenantWithAdmin, work: (sql: Sql) => Promise<T>) => db.sql(asTenantId(tenant.tenant.id), work);
  const pending = async (tenant: TenantWithAdmin, round: number | null = null, channel: string | null = null) =>
    (
      await inTenant(tenant, (sql) =>
        sql<{ p: boolean }>(`SELECT anpi_deliveries_pending($1::uuid, $2::int, $3::"Channel") AS p`, [broadcastId, round, channel]),
      )
    )[0]!.p;

  beforeAll(async () => {
    h = await startDeliveryHarness();
    db = h.api.app.get(TenantDb);
    a = await new Factory(h.api).tenantWithAdmin();
    b = await new Factory(h.api).tenantWithAdmin();
    const e = await new DirectoryFactory(h.api, a).employee({ emails: ['pending@example.jp'] });
    const launched = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(bearer(a.admin.accessToken))
      .send({ templateId: 'preset:earthquake', channels: ['email'], targets: { employeeIds: [e.id] } })
      .expect(202);
    broadcastId = launched.body.id;
    await waitForBroadcast(h.api, a.admin.accessToken, broadcastId);
    // 5,000 more deliveries of the same recipient (one per round, so the unique key holds), all
    // pending when the statistics are taken, as right after a launch's snapshot.
    await h.api.owner(
      `INSERT INTO deliveries (id, tenant_id, broadcast_id, recipient_id, channel, contact_index, round, batch, state, updated_at)
       SELECT gen_random_uuid(), tenant_id, broadcast_id, recipient_id, channel, contact_index, g, g % 50, 'pending', now()
       FROM deliveries, generate_series(1, 5000) g WHERE broadcast_id = $1`,
      [broadcastId],
    );
    await h.api.owner('ANALYZE deliveries');
    await h.api.owner(`UPDATE deliveries SET state = 'sent' WHERE broadcast_id = $1 AND round <> 4999`, [broadcastId]);
  });
  afterAll(() => h.close());

  it('finds what is pending, by round and channel, and only in the caller’s tenant', async () => {
    expect(await pending(a)).toBe(true);
    expect(await pending(a, 4999, 'email')).toBe(true);
    expect(await pending(a, 4998)).toBe(false);
    expect(await pending(a, 4999, 'line')).toBe(false);
    expect(await pending(b)).toBe(false);
  });

  it('answers from the index of pending deliveries, whatever the stale statistics say', async () => {
    const counts = `SELECT pg_stat_get_xact_numscans('deliveries_pending_idx'::regclass)::int AS index,
      (SELECT seq_scan::int FROM pg_stat_xact_user_tables WHERE relname = 'deliveries') AS sequential`;
    const [before, after] = await inTenant(a, async (sql) => {
      // Counts not yet reported by this connection, read around the one call.
      const [first] = await sql<{ index: number; sequential: number }>(counts);
      await sql(`SELECT anpi_deliveries_pending($1::uuid)`, [broadcastId]);
      const [second] = await sql<{ index: number; sequential: number }>(counts);
      return [first!, second!];
    });
    expect({ index: after.index - before.index, sequential: after.sequential - before.sequential }).toEqual({ index: 1, sequential: 0 });
  });

  it('lets a send job find its batch’s pending deliveries by round and batch in that index', async () => {
    const plan = await inTenant(a, (sql) =>
      sql<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT d.id FROM deliveries d
         WHERE d.broadcast_id = $1::uuid AND d.round = 4999 AND d.channel = 'email' AND d.batch = ${4999 % 50} AND d.state = 'pending'`,
        [broadcastId],
      ),
    );
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toContain('deliveries_pending_idx');
    expect(text).toMatch(/Index Cond: .*round = 4999.*batch = 49/);
  });

  it('completes the broadcast only once nothing is pending', async () => {
    const recorder = h.worker!.get(DeliveryRecorder);
    const status = async () => (await h.api.owner(`SELECT status::text FROM broadcasts WHERE id = $1`, [broadcastId])).rows[0].status as string;
    await h.api.owner(`UPDATE broadcasts SET status = 'sending', completed_at = NULL WHERE id = $1`, [broadcastId]);
    // Another tenant's context sees nothing pending, and cannot complete it either.
    await recorder.completeIfDone(asTenantId(b.tenant.id), broadcastId);
    await recorder.completeIfDone(asTenantId(a.tenant.id), broadcastId);
    expect(await status()).toBe('sending');
    await h.api.owner(`UPDATE deliveries SET state = 'sent' WHERE broadcast_id = $1`, [broadcastId]);
    await recorder.completeIfDone(asTenantId(a.tenant.id), broadcastId);
    expect(await status()).toBe('completed');
  });
});
