import { createDeliveries, createLinePart, lineParts, linePartBatches } from '../libs/alerts/src/fanout/deliveries.js';
import { TenantDb, asTenantId } from '#anpi/db';
import { startTestApi, type TestApi } from './support/test-api.js';
import { bearer, Factory, type TenantWithAdmin } from './support/factories.js';

/**
 * A launch creates LINE's and email's deliveries a part at a time, queueing each part as it is
 * committed. The parts must add up to what one statement would have created: every recipient once,
 * full multicasts of 500 numbered across the parts, email batches by seq, nothing more on a re-run.
 */
describe('launch parts', () => {
  let api: TestApi;
  let db: TenantDb;
  let owner: TenantWithAdmin;
  let broadcastId: string;
  const RECIPIENTS = 3_350;

  beforeAll(async () => {
    api = await startTestApi();
    db = api.app.get(TenantDb);
    owner = await new Factory(api).tenantWithAdmin();
    // Queued only: no worker runs here, so the recipients are written below as a snapshot would.
    const launched = await api
      .http()
      .post('/v1/broadcasts')
      .set(bearer(owner.admin.accessToken))
      .send({ templateId: 'preset:earthquake', channels: ['line', 'email'], targets: { all: true } })
      .expect(202);
    broadcastId = launched.body.id;
    // Two in three on LINE, in a pattern that leaves parts unevenly spread over seq.
    await api.owner(
      `INSERT INTO recipients (id, tenant_id, broadcast_id, employee_id, employee_code, seq, name, department_path, locale, emails, mobiles,
         line_user_id, line_status)
       SELECT gen_random_uuid(), $1, $2, gen_random_uuid(), lpad(g::text, 6, '0'), g, '社員' || g, '{}', 'ja', ARRAY['e' || g || '@example.jp'], '{}',
              CASE WHEN g % 3 <> 1 THEN 'U' || lpad(to_hex(g), 32, '0') END,
              (CASE WHEN g % 3 <> 1 THEN 'linked' ELSE 'unlinked' END)::"LineStatus"
       FROM generate_series(0, $3::int - 1) g`,
      [owner.tenant.id, broadcastId, RECIPIENTS],
    );
  });
  afterAll(() => api.close());

  const inTenant = <T>(work: Parameters<TenantDb['run']>[1]) => db.run(asTenantId(owner.tenant.id), work) as Promise<T>;

  it('numbers LINE multicasts across parts as one statement would, and adds nothing on a re-run', async () => {
    const parts = await inTenant<Awaited<ReturnType<typeof lineParts>>>((tx) => lineParts(tx, broadcastId, 1_000));
    const reachable = Array.from({ length: RECIPIENTS }, (_, g) => g % 3 !== 1).filter(Boolean).length;
    expect(parts.reachable).toBe(reachable);
    expect(parts.starts).toHaveLength(Math.ceil(reachable / 1_000));
    let created = 0;
    for (let i = 0; i < parts.starts.length; i++) created += await inTenant<number>((tx) => createLinePart(tx, broadcastId, parts, i));
    expect(created).toBe(reachable);
    // Every reachable recipient once, in batch floor(rank / 500) by seq: full multicasts but the last.
    const { rows } = await api.owner(
      `SELECT d.batch, row_number() OVER (ORDER BY r.seq) - 1 AS rank, d.state::text
       FROM deliveries d JOIN recipients r ON r.id = d.recipient_id WHERE d.broadcast_id = $1 AND d.channel = 'line' ORDER BY r.seq`,
      [broadcastId],
    );
    expect(rows).toHaveLength(reachable);
    for (const row of rows) expect(row.batch).toBe(Math.floor(Number(row.rank) / 500));
    expect(new Set(rows.map((r) => r.state))).toEqual(new Set(['pending']));
    // The batches each part queues are exactly those its rows are in.
    const queued = parts.starts.flatMap((_, i) => linePartBatches(parts, i));
    expect(queued).toEqual([...new Set(rows.map((r) => r.batch as number))]);
    // Again, as after a crash: nothing more.
    let again = 0;
    for (let i = 0; i < parts.starts.length; i++) again += await inTenant<number>((tx) => createLinePart(tx, broadcastId, parts, i));
    expect(again).toBe(0);
  });

  it('creates email by seq ranges into the same batches as one statement, once', async () => {
    let created = 0;
    for (let from = 0; from < RECIPIENTS; from += 1_000) {
      created += await inTenant<number>((tx) =>
        createDeliveries(tx, { broadcastId, round: 0, channel: 'email', unansweredOnly: false, seqRange: { from, to: from + 1_000 } }),
      );
    }
    expect(created).toBe(RECIPIENTS);
    const whole = await inTenant<number>((tx) => createDeliveries(tx, { broadcastId, round: 0, channel: 'email', unansweredOnly: false }));
    expect(whole).toBe(0);
    const { rows } = await api.owner(
      `SELECT count(*)::int AS n FROM deliveries d JOIN recipients r ON r.id = d.recipient_id
       WHERE d.broadcast_id = $1 AND d.channel = 'email' AND d.batch = r.seq / 1000`,
      [broadcastId],
    );
    expect(rows[0].n).toBe(RECIPIENTS);
  });

  it('gives the rows a launch writes ids in creation order (UUID version 7)', async () => {
    const { rows } = await api.owner(`SELECT anpi_uuid7()::text AS a, pg_sleep(0.002)::text, anpi_uuid7()::text AS b`);
    const { a, b } = rows[0] as { a: string; b: string };
    for (const id of [a, b]) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b > a).toBe(true);
    // The first 48 bits are the time in milliseconds.
    expect(Math.abs(parseInt(a.replace(/-/g, '').slice(0, 12), 16) - Date.now())).toBeLessThan(60_000);
  });
});
