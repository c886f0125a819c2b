import { jest } from '@jest/globals';
import { getQueueToken } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { MonthCloser } from '#anpi/billing';
import { asTenantId } from '#anpi/db';
import { JobName, QueueName } from '#anpi/queue';
import { WorkerSchedules } from '../apps/worker/src/schedules.js';
import { parseCsv } from './support/csv.js';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';
import { eventually } from './support/eventually.js';
import { bearer, DirectoryFactory, Factory, linkLine, lineUserId, type TenantWithAdmin } from './support/factories.js';
import { meterSends } from './support/usage-ledger.js';

/** Fixed past months; the current month comes from the clock. */
const OCT = '2026-10';
const NOV = '2026-11';

describe('billing: usage, monthly invoices, thresholds and reconciliation', () => {
  let h: DeliveryHarness;
  let make: Factory;
  let plans: Record<string, { id: string }>;
  let billingQueue: Queue;
  let userSeq = 300;

  beforeAll(async () => {
    h = await startDeliveryHarness();
    make = new Factory(h.api);
    const res = await h.api.http().get('/v1/plans').set(make.platform()).expect(200);
    plans = Object.fromEntries(res.body.map((p: { code: string; id: string }) => [p.code, p]));
    billingQueue = h.api.app.get<Queue>(getQueueToken(QueueName.Billing));
  });
  afterAll(() => h.close());

  /** A tenant on `plan` since `from` (a past month set directly, as if assigned back then). */
  async function customer(plan: string, from?: string): Promise<TenantWithAdmin & { dir: DirectoryFactory }> {
    const owner = await make.tenantWithAdmin();
    await h.api.http().put(`/v1/tenants/${owner.tenant.id}/plan`).set(make.platform()).send({ planId: plans[plan]!.id }).expect(200);
    if (from) await h.api.owner('UPDATE tenant_plans SET effective_from = $2 WHERE tenant_id = $1', [owner.tenant.id, `${from}-01`]);
    return { ...owner, dir: new DirectoryFactory(h.api, owner) };
  }

  /** A real alert over LINE to `count` linked employees (on `channelKey`), waited until sent. */
  async function alertOverLine(
    owner: TenantWithAdmin & { dir: DirectoryFactory },
    count: number,
    options: { channelKey?: string; drill?: boolean; employees?: { id: string }[] } = {},
  ) {
    const employees = options.employees ?? [];
    for (let i = employees.length; i < count; i++) {
      const e = await owner.dir.employee({ name: `社員 ${i}` });
      await linkLine(h.api, e.id, lineUserId(++userSeq), 'linked', options.channelKey ?? 'platform');
      employees.push(e);
    }
    const launched = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(bearer(owner.admin.accessToken))
      .send({ templateId: options.drill ? 'preset:drill' : 'preset:earthquake', channels: ['line'], targets: { employeeIds: employees.map((e) => e.id) } })
      .expect(202);
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, launched.body.id);
    expect(done.counts.line).toMatchObject({ sent: count });
    return employees;
  }

  const close = (month: string, tenantId?: string) =>
    h.api
      .http()
      .post(`/v1/billing/close?month=${month}${tenantId ? `&tenantId=${tenantId}` : ''}`)
      .set(make.platform());

  async function invoiceOf(owner: TenantWithAdmin, month: string) {
    const list = await h.api.http().get(`/v1/billing/invoices?month=${month}`).set(bearer(owner.admin.accessToken)).expect(200);
    expect(list.body).toHaveLength(1);
    return (await h.api.http().get(`/v1/billing/invoices/${list.body[0].id}`).set(bearer(owner.admin.accessToken)).expect(200)).body;
  }

  const amounts = (invoice: {
    lines: { kind: string; quantity: number; unitPrice: number; amount: number }[];
    subtotal: number;
    tax: number;
    total: number;
  }) => ({
    lines: invoice.lines.map((l) => [l.kind, l.quantity, l.unitPrice, l.amount]),
    totals: [invoice.subtotal, invoice.tax, invoice.total],
  });

  describe('months are calendar months in Asia/Tokyo', () => {
    it('puts 23:59:59 JST in its month and 00:00:00 JST in the next, on a server in any time zone', async () => {
      const owner = await customer('pack-3000', OCT);
      await alertOverLine(owner, 1); // today's real send, in the current month
      await meterSends(h.api, owner.tenant.id, { at: '2026-10-31T23:59:59+09:00' });
      await meterSends(h.api, owner.tenant.id, { at: '2026-11-01T00:00:00+09:00', count: 2 });
      await meterSends(h.api, owner.tenant.id, { at: '2026-11-30T23:59:59.999+09:00', count: 4 });
      await meterSends(h.api, owner.tenant.id, { at: '2026-12-01T00:00:00+09:00', count: 8 });

      const zone = process.env.TZ;
      try {
        process.env.TZ = 'UTC';
        await close(OCT, owner.tenant.id).expect(200);
        const oct = await invoiceOf(owner, OCT);
        expect(oct).toMatchObject({ month: OCT, countedUnits: 1, status: 'draft' });

        // November is not over yet: it is closed with the clock of 00:10 JST on 1 December.
        const closer = h.api.app.get(MonthCloser);
        await closer.closeTenant(asTenantId(owner.tenant.id), NOV, new Date('2026-11-30T15:10:00Z'));
        const utc = await invoiceOf(owner, NOV);
        const sentToday = new Date(Date.now() + 9 * 3_600_000).toISOString().startsWith(NOV) ? 1 : 0;
        expect(utc.countedUnits).toBe(2 + 4 + sentToday);

        process.env.TZ = 'America/Los_Angeles';
        await closer.closeTenant(asTenantId(owner.tenant.id), NOV, new Date('2026-11-30T15:10:00Z'));
        const pacific = await invoiceOf(owner, NOV);
        expect(pacific.countedUnits).toBe(utc.countedUnits);
        expect(pacific.id).toBe(utc.id);
      } finally {
        process.env.TZ = zone;
      }
    });

    it('refuses to close a month that is not over, and bad months, with reasons', async () => {
      const current = await close(new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 7)).expect(409);
      expect(current.body.code).toBe('month_not_over');
      const bad = await close('2026-13').expect(400);
      expect(bad.body.errors[0]).toMatchObject({ field: 'month' });
      await h.api.http().post('/v1/billing/close').set(make.platform()).expect(400);
    });
  });

  describe('invoices', () => {
    it('bills the pack in a month without a single message, the initial fee only in the first month', async () => {
      const owner = await customer('pack-3000', '2026-09');
      await close('2026-09', owner.tenant.id).expect(200);
      await close(OCT, owner.tenant.id).expect(200);
      const sep = await invoiceOf(owner, '2026-09');
      expect(amounts(sep)).toEqual({
        lines: [
          ['initial_fee', 1, 10000, 10000],
          ['pack_fee', 1, 3000, 3000],
          ['overage', 0, 4, 0],
        ],
        totals: [13000, 1300, 14300],
      });
      expect(sep).toMatchObject({ currency: 'JPY', countedUnits: 0, taxRatePercent: 10, plan: { code: 'pack-3000' } });
      expect(sep.rounding).toMatch(/切り捨て/);
      expect(amounts(await invoiceOf(owner, OCT)).totals).toEqual([3000, 300, 3300]);
    });

    it('charges nothing over at exactly the pack and 4 yen for one message over; drills count and are shown apart; email is free', async () => {
      const owner = await customer('pack-3000', OCT);
      await alertOverLine(owner, 1);
      await meterSends(h.api, owner.tenant.id, { at: '2026-10-10T09:00:00+09:00', count: 2990 });
      await meterSends(h.api, owner.tenant.id, { at: '2026-10-20T09:00:00+09:00', count: 10, drill: true });
      await meterSends(h.api, owner.tenant.id, { at: '2026-10-20T09:00:00+09:00', count: 500, channel: 'email' });
      await close(OCT, owner.tenant.id).expect(200);
      const exact = await invoiceOf(owner, OCT);
      expect(exact).toMatchObject({ countedUnits: 3000, alertUnits: 2990, drillUnits: 10, overageUnits: 0, subtotal: 13000 });
      expect(exact.usage).toEqual([
        { channel: 'line', kind: 'alert', messages: 2990, units: 2990, counted: true },
        { channel: 'line', kind: 'drill', messages: 10, units: 10, counted: true },
        { channel: 'email', kind: 'alert', messages: 500, units: 500, counted: false },
      ]);

      // One more (a drill) arrives late for October: the draft is recomputed, same invoice.
      await meterSends(h.api, owner.tenant.id, { at: '2026-10-31T23:59:59+09:00', drill: true });
      const rerun = await close(OCT, owner.tenant.id).expect(200);
      expect(rerun.body).toMatchObject({ month: OCT, created: 0, replaced: 1 });
      const over = await invoiceOf(owner, OCT);
      expect(over.id).toBe(exact.id);
      expect(over).toMatchObject({ countedUnits: 3001, drillUnits: 11, overageUnits: 1 });
      expect(amounts(over)).toEqual({
        lines: [
          ['initial_fee', 1, 10000, 10000],
          ['pack_fee', 1, 3000, 3000],
          ['overage', 1, 4, 4],
        ],
        totals: [13004, 1300, 14304],
      });

      const csv = await h.api.http().get(`/v1/billing/invoices/${over.id}.csv`).set(bearer(owner.admin.accessToken)).expect(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.text.startsWith('\uFEFF請求書ID (Invoice ID),')).toBe(true);
      const rows = parseCsv(csv.text.slice(1));
      expect(rows).toContainEqual(['区分 (Kind)', '内容 (Description)', '数量 (Quantity)', '単価 円 (Unit price, yen)', '金額 円 (Amount, yen)']);
      expect(rows).toContainEqual(['超過料金 (Overage)', expect.stringContaining('3,001'), '1', '4', '4']);
      expect(rows).toContainEqual(['合計 (Total)', '', '', '', '14304']);
      expect(rows).toContainEqual(['LINE', '訓練 (drill)', '11', '11', 'はい (yes)']);
      expect(rows.find((r) => r[0] === '端数処理 (Rounding)')?.[1]).toMatch(/切り捨て/);
    });

    it('bills each month on the plan of that month: a change applies from the first day of the next', async () => {
      const owner = await customer('pack-3000');
      const change = await h.api.http().put(`/v1/tenants/${owner.tenant.id}/plan`).set(make.platform()).send({ planId: plans['pack-10000']!.id }).expect(200);
      const thisMonth = change.body.current.from as string;
      const nextMonth = change.body.scheduled.from as string;
      await alertOverLine(owner, 2);
      const closer = h.api.app.get(MonthCloser);
      const afterNext = new Date(Date.UTC(Number(nextMonth.slice(0, 4)), Number(nextMonth.slice(5)), 1, 0, 10) - 9 * 3_600_000);
      await closer.closeAll(thisMonth, afterNext, asTenantId(owner.tenant.id));
      await closer.closeAll(nextMonth, afterNext, asTenantId(owner.tenant.id));
      const first = await invoiceOf(owner, thisMonth);
      const second = await invoiceOf(owner, nextMonth);
      expect(first).toMatchObject({ plan: { code: 'pack-3000' }, countedUnits: 2, includedMessages: 3000, subtotal: 13000 });
      expect(second).toMatchObject({ plan: { code: 'pack-10000' }, countedUnits: 0, includedMessages: 10000, subtotal: 8000 });
    });

    it('the scheduled job run twice, or again after a run that died halfway, leaves one invoice per tenant with the same numbers', async () => {
      const a = await customer('pack-3000', OCT);
      const b = await customer('pack-10000', OCT);
      for (const owner of [a, b]) {
        await alertOverLine(owner, 1);
        await meterSends(h.api, owner.tenant.id, { at: '2026-10-15T12:00:00+09:00', count: 3100 });
      }
      // The run that died: it had closed A only.
      await close(OCT, a.tenant.id).expect(200);
      const partial = await invoiceOf(a, OCT);

      const runJob = async () => {
        const job = await billingQueue.add(JobName.CloseBillingMonth, { month: OCT });
        return eventually(async () => ((await job.isCompleted()) ? (await billingQueue.getJob(job.id!))!.returnvalue : null), 'the close job');
      };
      const first = await runJob();
      expect(first).toMatchObject({ month: OCT });
      const second = await runJob();
      expect(second).toMatchObject({ month: OCT, created: 0 });

      const count = await h.api.owner(
        'SELECT tenant_id, count(*)::int AS n FROM invoices WHERE month = $1 AND tenant_id = ANY($2::uuid[]) GROUP BY tenant_id',
        [`${OCT}-01`, [a.tenant.id, b.tenant.id]],
      );
      expect(count.rows.map((r) => r.n)).toEqual([1, 1]);
      const invoiceA = await invoiceOf(a, OCT);
      const invoiceB = await invoiceOf(b, OCT);
      expect(invoiceA.id).toBe(partial.id);
      expect(amounts(invoiceA)).toEqual(amounts(partial));
      expect(amounts(invoiceA).totals).toEqual([10000 + 3000 + 100 * 4, 1340, 14740]);
      expect(amounts(invoiceB).totals).toEqual([10000 + 8000, 1800, 19800]);
    });

    it('an issued invoice never changes: a re-run keeps it, and the database refuses edits', async () => {
      const owner = await customer('pack-3000', OCT);
      await alertOverLine(owner, 1);
      await close(OCT, owner.tenant.id).expect(200);
      const draft = await invoiceOf(owner, OCT);
      await h.api.http().post(`/v1/billing/invoices/${draft.id}/issue`).set(bearer(owner.admin.accessToken)).expect(401);
      const issued = await h.api.http().post(`/v1/billing/invoices/${draft.id}/issue`).set(make.platform()).expect(200);
      expect(issued.body).toMatchObject({ status: 'issued', total: draft.total });
      await h.api.http().post(`/v1/billing/invoices/${draft.id}/issue`).set(make.platform()).expect(409);

      await meterSends(h.api, owner.tenant.id, { at: '2026-10-30T12:00:00+09:00', count: 5000 });
      const rerun = await close(OCT, owner.tenant.id).expect(200);
      expect(rerun.body).toMatchObject({ keptIssued: 1, replaced: 0, created: 0 });
      const after = await invoiceOf(owner, OCT);
      expect(amounts(after)).toEqual(amounts(draft));
      await expect(h.api.owner('UPDATE invoices SET total = 0 WHERE id = $1', [draft.id])).rejects.toThrow(/issued/);
      await expect(h.api.owner('DELETE FROM invoice_lines WHERE invoice_id = $1', [draft.id])).rejects.toThrow(/issued/);
      const audit = await h.api.http().get('/v1/audit-log?action=invoice.issued').set(bearer(owner.admin.accessToken)).expect(200);
      expect(audit.body.items).toHaveLength(1);
    });

    it('a tenant sees only its own invoices, usage and checks; the operator sees all', async () => {
      const a = await customer('pack-3000', OCT);
      const b = await customer('pack-3000', OCT);
      await close(OCT, a.tenant.id).expect(200);
      await close(OCT, b.tenant.id).expect(200);
      const ofA = await invoiceOf(a, OCT);
      const ofB = await invoiceOf(b, OCT);
      const asA = bearer(a.admin.accessToken);

      const listA = await h.api.http().get('/v1/billing/invoices').set(asA).expect(200);
      expect(listA.body.map((i: { tenantId: string }) => i.tenantId)).toEqual([a.tenant.id]);
      await h.api.http().get(`/v1/billing/invoices/${ofB.id}`).set(asA).expect(404);
      await h.api.http().get(`/v1/billing/invoices/${ofB.id}.csv`).set(asA).expect(404);
      await h.api.http().get(`/v1/billing/invoices?tenantId=${b.tenant.id}`).set(asA).expect(403);
      await h.api.http().get(`/v1/billing/usage?tenantId=${b.tenant.id}`).set(asA).expect(403);
      await h.api.http().get('/v1/billing/invoices/not-a-uuid').set(asA).expect(400);
      const maintainer = await make.user(a, 'maintainer');
      await h.api.http().get('/v1/billing/invoices').set(bearer(maintainer.accessToken)).expect(403);
      await h.api.http().get(`/v1/billing/invoices/${ofA.id}`).set(bearer(maintainer.accessToken)).expect(403);
      await h.api.http().post(`/v1/billing/close?month=${OCT}`).set(asA).expect(401);

      const all = await h.api.http().get(`/v1/billing/invoices?month=${OCT}`).set(make.platform()).expect(200);
      expect(all.body.map((i: { tenantId: string }) => i.tenantId)).toEqual(expect.arrayContaining([a.tenant.id, b.tenant.id]));
      const onlyB = await h.api.http().get(`/v1/billing/invoices?tenantId=${b.tenant.id}`).set(make.platform()).expect(200);
      expect(onlyB.body.map((i: { id: string }) => i.id)).toEqual([ofB.id]);
      await h.api.http().get(`/v1/billing/invoices/${ofA.id}`).set(make.platform()).expect(200);
      await h.api.http().get('/v1/billing/usage').set(make.platform()).expect(400);

      const rls = await h.api.owner(
        `SELECT relname FROM pg_class WHERE relname IN ('invoices', 'invoice_lines', 'invoice_usage', 'usage_notices', 'line_reconciliations')
          AND relrowsecurity AND relforcerowsecurity ORDER BY relname`,
      );
      expect(rls.rows.map((r) => r.relname)).toEqual(['invoice_lines', 'invoice_usage', 'invoices', 'line_reconciliations', 'usage_notices']);
    });

    it('the worker schedules the close for 00:10 on the 1st in Asia/Tokyo, and the reconciliation daily', async () => {
      const maintenance = h.api.app.get<Queue>(getQueueToken(QueueName.Maintenance));
      await new WorkerSchedules(maintenance, billingQueue, h.api.app.get<Queue>(getQueueToken(QueueName.Jma)), h.api.config).onApplicationBootstrap();
      const schedulers = await billingQueue.getJobSchedulers();
      const close = schedulers.find((s) => s.key === 'monthly-billing-close')!;
      expect(close).toMatchObject({ name: JobName.CloseBillingMonth, pattern: '10 0 1 * *', tz: 'Asia/Tokyo' });
      const next = new Date(close.next!);
      // 00:10 JST on a 1st is 15:10 UTC on the last day of the month before.
      expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([15, 10]);
      expect(new Date(next.getTime() + 9 * 3_600_000).getUTCDate()).toBe(1);
      expect(schedulers.find((s) => s.key === 'daily-line-reconciliation')).toMatchObject({ name: JobName.ReconcileLineUsage, tz: 'Asia/Tokyo' });
      for (const s of schedulers) await billingQueue.removeJobScheduler(s.key);
      for (const s of await maintenance.getJobSchedulers()) await maintenance.removeJobScheduler(s.key);
    });
  });

  describe('usage and pack thresholds', () => {
    it('emails the admins once at 80% and once at 100%, never blocks an alert, and projects the month', async () => {
      const small = await h.api
        .http()
        .post('/v1/plans')
        .set(make.platform())
        .send({ code: `tiny-${Date.now()}`, name: '試験用 10通', initialFee: 0, monthlyFee: 100, includedMessages: 10, overageUnitPrice: 4 })
        .expect(201);
      plans[small.body.code] = small.body;
      const owner = await customer(small.body.code);
      const notices = () => h.smtp.received.filter((m) => m.to.includes(owner.admin.email) && /メッセージパック/.test(m.subject));

      const staff = await alertOverLine(owner, 8);
      const at80 = await eventually(async () => notices().length === 1 && notices(), '80% email', 15_000);
      expect(at80[0]!.subject).toContain('80%');
      expect(at80[0]!.text).toMatch(/8 通/);

      await alertOverLine(owner, 8, { employees: staff, drill: true });
      const at100 = await eventually(async () => notices().length === 2 && notices(), '100% email', 15_000);
      expect(at100[1]!.subject).toContain('100%');
      expect(at100[1]!.text).toMatch(/止まることはありません/);

      // Over the pack: the alert still goes to everyone, and nobody is emailed again.
      await alertOverLine(owner, 8, { employees: staff });
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(notices()).toHaveLength(2);

      const usage = await h.api.http().get('/v1/billing/usage').set(bearer(owner.admin.accessToken)).expect(200);
      expect(usage.body).toMatchObject({ final: false, countedUnits: 24, alertUnits: 16, drillUnits: 8, percentUsed: 240, plan: { includedMessages: 10 } });
      expect(usage.body.projectedUnits).toBeGreaterThanOrEqual(24);
      expect(usage.body.projectedOverageYen).toBe((usage.body.projectedUnits - 10) * 4);
      const past = await h.api.http().get(`/v1/billing/usage?month=${OCT}`).set(bearer(owner.admin.accessToken)).expect(200);
      expect(past.body).toMatchObject({ final: true, countedUnits: 0, plan: null, projectedUnits: 0 });
      await h.api.http().get('/v1/billing/usage?month=11-2026').set(bearer(owner.admin.accessToken)).expect(400);
    });
  });

  describe('reconciliation with LINE', () => {
    it("compares LINE's monthly figure with the ledger for a tenant's own channel and reports a mismatch with both numbers", async () => {
      const owner = await customer('pack-3000');
      const channelId = '1699999999';
      const token = 'reconcile-tenant-access-token-0123456789';
      await h.api
        .http()
        .put('/v1/settings/channels')
        .set(bearer(owner.admin.accessToken))
        .send({ line: { channelId, channelSecret: 'reconcile-tenant-secret', accessToken: token, basicId: '@reconcile' } })
        .expect(200);
      const other = await customer('pack-3000'); // on the shared channel: nothing to compare
      await alertOverLine(other, 1);
      await alertOverLine(owner, 3, { channelKey: channelId });

      const job = await billingQueue.add(JobName.ReconcileLineUsage, {});
      const daily = await eventually(async () => ((await job.isCompleted()) ? (await billingQueue.getJob(job.id!))!.returnvalue : null), 'the daily job');
      expect(daily).toMatchObject({ mismatched: 0, failed: 0 });
      const matched = await h.api.http().get('/v1/billing/reconciliation').set(bearer(owner.admin.accessToken)).expect(200);
      expect(matched.body).toEqual([expect.objectContaining({ channelId, lineUnits: 3, ledgerUnits: 3, difference: 0, matches: true })]);

      // Someone also sent 2 messages from LINE Official Account Manager: LINE counts 5, anpi 3.
      h.line.adjustConsumption(token, 2);
      // Every Nest app in this process logs through the last one created (the worker, errors only),
      // so the warning is caught where it is written.
      const warn = jest.spyOn(Logger.prototype, 'warn');
      const run = await h.api.http().post(`/v1/billing/reconciliation/run?tenantId=${owner.tenant.id}`).set(make.platform()).expect(200);
      expect(run.body).toMatchObject({ checked: 1, mismatched: 1 });
      const mismatch = await h.api.http().get('/v1/billing/reconciliation').set(bearer(owner.admin.accessToken)).expect(200);
      expect(mismatch.body).toEqual([expect.objectContaining({ lineUnits: 5, ledgerUnits: 3, difference: 2, matches: false })]);
      expect(warn.mock.calls.map((c) => c[0])).toContainEqual(
        expect.objectContaining({ msg: 'LINE usage mismatch', tenantId: owner.tenant.id, lineUnits: 5, ledgerUnits: 3, difference: 2 }),
      );
      warn.mockRestore();

      const operator = await h.api.http().get('/v1/billing/reconciliation?mismatchOnly=true').set(make.platform()).expect(200);
      expect(operator.body.map((r: { tenantId: string }) => r.tenantId)).toEqual([owner.tenant.id]);
      const otherView = await h.api.http().get('/v1/billing/reconciliation').set(bearer(other.admin.accessToken)).expect(200);
      expect(otherView.body).toEqual([]);
      expect(h.line.violations).toEqual([]);
    });
  });
});
