import { bearer, Factory, type TenantWithAdmin } from './support/factories.js';
import { startTestApi, type TestApi } from './support/test-api.js';

/** Month strings as the API gives them, computed in Asia/Tokyo like the service does. */
const tokyoMonth = (offset = 0) => {
  const jst = new Date(Date.now() + 9 * 3_600_000);
  const d = new Date(Date.UTC(jst.getUTCFullYear(), jst.getUTCMonth() + offset, 1));
  return d.toISOString().slice(0, 7);
};

describe('billing: plans and which tenant is on which', () => {
  let api: TestApi;
  let make: Factory;
  let owner: TenantWithAdmin;
  let plans: Record<string, { id: string }>;

  beforeAll(async () => {
    api = await startTestApi();
    make = new Factory(api);
    owner = await make.tenantWithAdmin();
    const res = await api.http().get('/v1/plans').set(make.platform()).expect(200);
    plans = Object.fromEntries(res.body.map((p: { code: string; id: string }) => [p.code, p]));
  });
  afterAll(() => api.close());

  it('ships the three standard packs', async () => {
    const res = await api.http().get('/v1/plans').set(make.platform()).expect(200);
    expect(
      res.body.map((p: Record<string, unknown>) => [
        p.code,
        p.monthlyFee,
        p.includedMessages,
        p.overageUnitPrice,
        p.initialFee,
        p.countedChannels,
        p.taxRatePercent,
      ]),
    ).toEqual([
      ['pack-3000', 3000, 3000, 4, 10000, ['line'], 10],
      ['pack-10000', 8000, 10000, 4, 10000, ['line'], 10],
      ['pack-45000', 30000, 45000, 4, 10000, ['line'], 10],
    ]);
  });

  it('lets only the platform operator manage plans, with reasons for bad input; prices never change in place', async () => {
    await api.http().get('/v1/plans').set(bearer(owner.admin.accessToken)).expect(401);
    const bad = await api
      .http()
      .post('/v1/plans')
      .set(make.platform())
      .send({ code: 'X', name: '', initialFee: -1, monthlyFee: 1.5, includedMessages: 10, overageUnitPrice: 4, countedChannels: ['fax'] })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['code', 'countedChannels', 'initialFee', 'monthlyFee', 'name']);
    const body = {
      code: 'pack-20000',
      name: 'パック 20,000通',
      initialFee: 10000,
      monthlyFee: 15000,
      includedMessages: 20000,
      overageUnitPrice: 4,
      countedChannels: ['line', 'sms'],
      smsSegmentPrice: 12,
    };
    const created = await api.http().post('/v1/plans').set(make.platform()).send(body).expect(201);
    expect(created.body).toMatchObject({ ...body, taxRatePercent: 10, active: true });
    await api
      .http()
      .post('/v1/plans')
      .set(make.platform())
      .send(body)
      .expect(409)
      .expect((r) => expect(r.body.code).toBe('code_taken'));
    await api.http().patch(`/v1/plans/${created.body.id}`).set(make.platform()).send({ monthlyFee: 1 }).expect(400);
    const renamed = await api.http().patch(`/v1/plans/${created.body.id}`).set(make.platform()).send({ name: 'パック 2万通', active: false }).expect(200);
    expect(renamed.body).toMatchObject({ name: 'パック 2万通', active: false, monthlyFee: 15000 });
    await api
      .http()
      .put(`/v1/tenants/${owner.tenant.id}/plan`)
      .set(make.platform())
      .send({ planId: created.body.id })
      .expect(409)
      .expect((r) => expect(r.body.code).toBe('plan_inactive'));
    await api.http().get('/v1/plans/00000000-0000-4000-8000-000000000000').set(make.platform()).expect(404);
  });

  it('a first plan applies from this month; a change from the first day of next month, the last change winning', async () => {
    const first = await api.http().put(`/v1/tenants/${owner.tenant.id}/plan`).set(make.platform()).send({ planId: plans['pack-3000']!.id }).expect(200);
    expect(first.body).toMatchObject({ current: { from: tokyoMonth(), plan: { code: 'pack-3000' } }, scheduled: null });

    const change = await api.http().put(`/v1/tenants/${owner.tenant.id}/plan`).set(make.platform()).send({ planId: plans['pack-45000']!.id }).expect(200);
    expect(change.body).toMatchObject({ current: { plan: { code: 'pack-3000' } }, scheduled: { from: tokyoMonth(1), plan: { code: 'pack-45000' } } });
    const again = await api.http().put(`/v1/tenants/${owner.tenant.id}/plan`).set(make.platform()).send({ planId: plans['pack-10000']!.id }).expect(200);
    expect(again.body.scheduled).toMatchObject({ from: tokyoMonth(1), plan: { code: 'pack-10000' } });

    const own = await api.http().get('/v1/billing/plan').set(bearer(owner.admin.accessToken)).expect(200);
    expect(own.body).toEqual(again.body);
    const audit = await api.http().get('/v1/audit-log?action=tenant.plan').set(bearer(owner.admin.accessToken)).expect(200);
    expect(audit.body.items).toHaveLength(3);

    await api.http().put('/v1/tenants/00000000-0000-4000-8000-000000000000/plan').set(make.platform()).send({ planId: plans['pack-3000']!.id }).expect(404);
    await api.http().put(`/v1/tenants/${owner.tenant.id}/plan`).set(make.platform()).send({ planId: 'nope' }).expect(400);
    await api.http().put(`/v1/tenants/${owner.tenant.id}/plan`).set(bearer(owner.admin.accessToken)).send({ planId: plans['pack-3000']!.id }).expect(401);
  });

  it('a tenant sees its own plan only, and may not write the price list or its plan at the database either', async () => {
    const other = await make.tenantWithAdmin();
    const res = await api.http().get('/v1/billing/plan').set(bearer(other.admin.accessToken)).expect(200);
    expect(res.body).toEqual({ current: null, scheduled: null });
    const maintainer = await make.user(owner, 'maintainer');
    await api.http().get('/v1/billing/plan').set(bearer(maintainer.accessToken)).expect(403);
    const rls = await api.owner(
      `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname IN ('plans', 'tenant_plans') ORDER BY relname`,
    );
    expect(rls.rows).toEqual([
      { relname: 'plans', relrowsecurity: true, relforcerowsecurity: true },
      { relname: 'tenant_plans', relrowsecurity: true, relforcerowsecurity: true },
    ]);
  });
});
