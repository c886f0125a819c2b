import { bearer, DirectoryFactory, Factory, linkLine, lineUserId, type DepartmentRow, type TenantWithAdmin } from './support/factories.js';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';

describe('broadcasts: launch rules, lifecycle, templates and channel settings', () => {
  let h: DeliveryHarness;
  let make: Factory;
  let owner: TenantWithAdmin;
  let admin: { Authorization: string };
  let sales: DepartmentRow;
  let salesOne: DepartmentRow;
  let ga: DepartmentRow;
  const staff: Record<string, { id: string }> = {};

  beforeAll(async () => {
    h = await startDeliveryHarness({}, { worker: false });
    make = new Factory(h.api);
    owner = await make.tenantWithAdmin();
    admin = bearer(owner.admin.accessToken);
    const dir = new DirectoryFactory(h.api, owner);
    const hq = await dir.department('本社', undefined, 'HQ');
    sales = await dir.department('営業部', hq, 'SALES');
    salesOne = await dir.department('第一課', sales, 'SALES-1');
    ga = await dir.department('総務部', hq, 'GA');
    staff.a = await dir.employee({ code: 'A', name: '営業 部長', departmentId: sales.id, emails: ['a@example.jp'] });
    staff.b = await dir.employee({ code: 'B', name: '第一課 課員', departmentId: salesOne.id, emails: ['b@example.jp'] });
    staff.c = await dir.employee({ code: 'C', name: '総務 兼 営業', departmentId: ga.id, additionalDepartmentIds: [salesOne.id], emails: ['c@example.jp'] });
    staff.d = await dir.employee({ code: 'D', name: '総務 課員', departmentId: ga.id, emails: ['d@example.jp'] });
    staff.e = await dir.employee({ code: 'E', name: '営業 休職', departmentId: sales.id, emails: ['e@example.jp'], active: false });
    await linkLine(h.api, staff.a.id, lineUserId(10));
  });
  afterAll(() => h.close());
  afterEach(() => expect(h.line.violations).toEqual([]));

  const launch = (body: object, headers: Record<string, string> = {}) => h.api.http().post('/v1/broadcasts').set(admin).set(headers).send(body);
  const recipientsOf = async (id: string) =>
    (await h.api.owner('SELECT name FROM recipients WHERE broadcast_id = $1 ORDER BY name', [id])).rows.map((r: { name: string }) => r.name);

  it('refuses bad launches with 400 naming the field and reason', async () => {
    const cases: [object, string][] = [
      [{ templateId: 'preset:earthquake' }, 'targets'],
      [{ templateId: 'preset:earthquake', targets: {} }, 'targets'],
      [{ templateId: 'preset:earthquake', targets: { all: true, employeeIds: [staff.a!.id] } }, 'targets'],
      [{ templateId: 'preset:nope', targets: { all: true } }, 'templateId'],
      [{ templateId: '00000000-0000-4000-8000-000000000000', targets: { all: true } }, 'templateId'],
      [{ body: 'no title', targets: { all: true } }, 'title'],
      [{ templateId: 'preset:earthquake', targets: { departmentIds: ['00000000-0000-4000-8000-000000000000'] } }, 'targets.departmentIds'],
      [{ templateId: 'preset:earthquake', targets: { all: true }, channels: ['fax'] }, 'channels'],
      [
        {
          title: 'x',
          body: 'y',
          targets: { all: true },
          questions: [
            {
              id: 'q',
              label: 'Q',
              required: true,
              options: [
                { id: 'a', label: 'A' },
                { id: 'a', label: 'B' },
              ],
            },
          ],
        },
        'questions',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await launch(body).expect(400);
      expect({ body, fields: res.body.errors.map((e: { field: string }) => e.field) }).toEqual({ body, fields: expect.arrayContaining([field]) });
    }
    await launch({ templateId: 'preset:earthquake', targets: { all: true } }, { 'Idempotency-Key': 'has space' }).expect(400);
    expect((await h.api.owner('SELECT count(*)::int AS n FROM broadcasts WHERE tenant_id = $1', [owner.tenant.id])).rows[0].n).toBe(0);
  });

  it('an Idempotency-Key makes a repeated launch return the same broadcast, never a second alert', async () => {
    const body = { templateId: 'preset:drill', targets: { employeeIds: [staff.a!.id] } };
    const first = await launch(body, { 'Idempotency-Key': 'quake-2026-11-22' }).expect(202);
    const again = await launch(body, { 'Idempotency-Key': 'quake-2026-11-22' }).expect(202);
    const parallel = await Promise.all([1, 2, 3].map(() => launch(body, { 'Idempotency-Key': 'quake-parallel' })));
    expect(again.body.id).toBe(first.body.id);
    expect(new Set(parallel.map((r) => r.body.id)).size).toBe(1);
    const reused = await launch({ ...body, drill: false }, { 'Idempotency-Key': 'quake-2026-11-22' }).expect(409);
    expect(reused.body).toMatchObject({ code: 'idempotency_key_reused', broadcastId: first.body.id });
    const count = await h.api.owner(
      "SELECT count(*)::int AS n FROM broadcasts WHERE tenant_id = $1 AND idempotency_key IN ('quake-2026-11-22', 'quake-parallel')",
      [owner.tenant.id],
    );
    expect(count.rows[0].n).toBe(2);

    await h.startWorker();
    await waitForBroadcast(h.api, owner.admin.accessToken, first.body.id);
    expect(h.line.multicasts.filter((m) => JSON.stringify(m.messages).includes(first.body.id))).toHaveLength(1);
    expect(first.body).toMatchObject({ drill: true, displayTitle: '【訓練】安否確認訓練' });
    expect(JSON.stringify(h.line.multicasts.at(-1)!.messages)).toContain('【訓練】安否確認訓練');
    expect(h.smtp.to('a@example.jp').at(-1)!.subject).toBe('【安否確認】【訓練】安否確認訓練');
    await h.worker!.close();
    h.worker = null;
  });

  it('targets department subtrees through primary and additional membership, active employees only', async () => {
    const res = await launch({ templateId: 'preset:earthquake', targets: { departmentIds: [sales.id] } }).expect(202);
    await h.startWorker();
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, res.body.id);
    expect(done.recipientCount).toBe(3);
    expect(await recipientsOf(res.body.id)).toEqual(['営業 部長', '第一課 課員', '総務 兼 営業'].sort());
    await h.worker!.close();
    h.worker = null;
  });

  it('snapshots recipients at launch: later directory edits change nothing about the alert', async () => {
    const res = await launch({ templateId: 'preset:earthquake', targets: { employeeIds: [staff.d!.id] } }).expect(202);
    await h.startWorker();
    await waitForBroadcast(h.api, owner.admin.accessToken, res.body.id);
    await h.api
      .http()
      .patch(`/v1/employees/${staff.d!.id}`)
      .set(admin)
      .send({ name: '改名 後', emails: ['new@example.jp'] })
      .expect(200);
    const rows = await h.api.owner('SELECT name, emails FROM recipients WHERE broadcast_id = $1', [res.body.id]);
    expect(rows.rows).toEqual([{ name: '総務 課員', emails: ['d@example.jp'] }]);
    // …except a data-protection erasure, which reaches the snapshot too; the count stays.
    await h.api.http().delete(`/v1/employees/${staff.d!.id}`).set(admin).expect(204);
    const erased = await h.api.owner('SELECT name, emails, mobiles, line_user_id FROM recipients WHERE broadcast_id = $1', [res.body.id]);
    expect(erased.rows).toEqual([{ name: '(削除済み / erased)', emails: [], mobiles: [], line_user_id: null }]);
    await h.worker!.close();
    h.worker = null;
  });

  it('cancel stops what has not been sent; close stops answers', async () => {
    const res = await launch({ templateId: 'preset:earthquake', targets: { all: true } }).expect(202);
    const cancelled = await h.api.http().post(`/v1/broadcasts/${res.body.id}/cancel`).set(admin).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String) });
    const before = h.smtp.received.length;
    await h.startWorker();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(h.smtp.received.length).toBe(before);
    const after = await h.api.http().get(`/v1/broadcasts/${res.body.id}`).set(admin).expect(200);
    expect(after.body).toMatchObject({ status: 'cancelled', recipientCount: null });

    const other = await launch({ templateId: 'preset:earthquake', targets: { employeeIds: [staff.a!.id] } }).expect(202);
    await waitForBroadcast(h.api, owner.admin.accessToken, other.body.id);
    await h.api.http().post(`/v1/broadcasts/${other.body.id}/cancel`).set(admin).expect(409);
    const closed = await h.api.http().post(`/v1/broadcasts/${other.body.id}/close`).set(admin).expect(200);
    expect(closed.body.closedAt).toEqual(expect.any(String));
    const audit = await h.api.http().get(`/v1/audit-log?resourceType=broadcast&resourceId=${other.body.id}`).set(admin).expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['broadcast.close', 'broadcast.launch']);
    await h.worker!.close();
    h.worker = null;
  });

  it('lists broadcasts newest first and pages deliveries by state and channel', async () => {
    const list = await h.api.http().get('/v1/broadcasts?limit=2').set(admin).expect(200);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.total).toBeGreaterThanOrEqual(5);
    const [newest] = list.body.items;
    const page = await h.api.http().get(`/v1/broadcasts/${newest.id}/deliveries?channel=email&state=sent`).set(admin).expect(200);
    expect(page.body.items.every((d: { channel: string; state: string }) => d.channel === 'email' && d.state === 'sent')).toBe(true);
    await h.api.http().get(`/v1/broadcasts/${newest.id}/deliveries?state=lost`).set(admin).expect(400);
  });

  it("is for admins only, and never shows or steers another tenant's broadcasts", async () => {
    const maintainer = await make.user(owner, 'maintainer');
    await h.api
      .http()
      .post('/v1/broadcasts')
      .set(bearer(maintainer.accessToken))
      .send({ templateId: 'preset:earthquake', targets: { all: true } })
      .expect(403);
    await h.api.http().get('/v1/broadcasts').set(bearer(maintainer.accessToken)).expect(403); // heads yes (tallies), maintainers no
    await h.api.http().get('/v1/templates').set(bearer(maintainer.accessToken)).expect(403);
    await h.api.http().get('/v1/settings/channels').set(bearer(maintainer.accessToken)).expect(403);

    const other = await make.tenantWithAdmin();
    const mine = (await h.api.http().get('/v1/broadcasts?limit=1').set(admin).expect(200)).body.items[0].id;
    const theirs = bearer(other.admin.accessToken);
    for (const [method, path] of [
      ['get', `/v1/broadcasts/${mine}`],
      ['get', `/v1/broadcasts/${mine}/deliveries`],
      ['post', `/v1/broadcasts/${mine}/cancel`],
      ['post', `/v1/broadcasts/${mine}/close`],
    ] as const) {
      await h.api.http()[method](path).set(theirs).expect(404);
    }
    expect((await h.api.http().get('/v1/broadcasts').set(theirs).expect(200)).body.total).toBe(0);
    // Another tenant's employees, departments and templates cannot be used, even by id.
    await h.api
      .http()
      .post('/v1/broadcasts')
      .set(theirs)
      .send({ templateId: 'preset:earthquake', targets: { employeeIds: [staff.a!.id] } })
      .expect(400);
    await h.api
      .http()
      .post('/v1/broadcasts')
      .set(theirs)
      .send({ templateId: 'preset:earthquake', targets: { departmentIds: [sales.id] } })
      .expect(400);
    const template = await h.api
      .http()
      .post('/v1/templates')
      .set(admin)
      .send({ name: '社内専用', title: 't', body: 'b', channels: ['email'], questions: [] })
      .expect(201);
    await h.api.http().get(`/v1/templates/${template.body.id}`).set(theirs).expect(404);
    await h.api.http().patch(`/v1/templates/${template.body.id}`).set(theirs).send({ title: 'x' }).expect(404);
    await h.api.http().delete(`/v1/templates/${template.body.id}`).set(theirs).expect(404);
    await h.api
      .http()
      .post('/v1/broadcasts')
      .set(theirs)
      .send({ templateId: template.body.id, targets: { all: true } })
      .expect(400);
    expect((await h.api.http().get('/v1/templates').set(theirs).expect(200)).body.map((t: { id: string }) => t.id)).not.toContain(template.body.id);
    expect((await h.api.http().get('/v1/settings/channels').set(theirs).expect(200)).body.line.usingPlatformDefault).toBe(true);
  });

  describe('templates', () => {
    it('ships the presets, in Japanese with English labels, read-only', async () => {
      const list = await h.api.http().get('/v1/templates').set(admin).expect(200);
      expect(list.body.slice(0, 3).map((t: { id: string }) => t.id)).toEqual(['preset:earthquake', 'preset:storm', 'preset:drill']);
      const quake = list.body[0];
      expect(quake.questions.map((q: { id: string; label: string }) => `${q.id}:${q.label}`)).toEqual(['self:本人', 'family:家族', 'home:家屋', 'work:出社']);
      expect(quake.questions[0].options.map((o: { label: string; labelEn: string }) => `${o.label}/${o.labelEn}`)).toEqual([
        '無事/Safe',
        '軽傷/Minor injury',
        '重傷/Serious injury',
      ]);
      expect(quake.notificationDetail).toEqual({ line: 'title_only', sms: 'title_only', email: 'full', lineworks: 'title_only' });
      expect(list.body[2]).toMatchObject({ drill: true });
      await h.api.http().patch('/v1/templates/preset:earthquake').set(admin).send({ title: 'x' }).expect(403);
      await h.api.http().delete('/v1/templates/preset:earthquake').set(admin).expect(403);
    });

    it("creates, updates and deletes the tenant's own templates, and launches from them", async () => {
      const created = await h.api
        .http()
        .post('/v1/templates')
        .set(admin)
        .send({
          name: '本社 火災',
          title: '本社ビル 火災',
          body: '{{name}} さん ({{department}})\n避難してください。',
          channels: ['email'],
          notificationDetail: { email: 'full' },
          questions: [
            {
              id: 'evacuated',
              label: '避難',
              labelEn: 'Evacuated',
              required: true,
              options: [
                { id: 'yes', label: '済' },
                { id: 'no', label: '未' },
              ],
            },
          ],
        })
        .expect(201);
      expect(created.body).toMatchObject({ preset: false, notificationDetail: { line: 'title_only', sms: 'title_only', email: 'full' } });
      const dup = await h.api
        .http()
        .post('/v1/templates')
        .set(admin)
        .send({ ...created.body, id: undefined, preset: undefined })
        .expect(409);
      expect(dup.body.code).toBe('name_taken');
      await h.api.http().post('/v1/templates').set(admin).send({ name: 'x', title: 'x', body: 'x', channels: [], questions: [] }).expect(400);
      await h.api.http().patch(`/v1/templates/${created.body.id}`).set(admin).send({ title: '本社ビル 火災発生' }).expect(200);

      const res = await launch({ templateId: created.body.id, targets: { employeeIds: [staff.b!.id] } }).expect(202);
      await h.startWorker();
      await waitForBroadcast(h.api, owner.admin.accessToken, res.body.id);
      const mail = h.smtp.to('b@example.jp').at(-1)!;
      expect(mail.subject).toBe('【安否確認】本社ビル 火災発生');
      expect(mail.text).toContain('第一課 課員 さん (第一課)');
      await h.worker!.close();
      h.worker = null;
      await h.api.http().delete(`/v1/templates/${created.body.id}`).set(admin).expect(204);
      await h.api.http().get(`/v1/templates/${created.body.id}`).set(admin).expect(404);
    });
  });

  describe('channel settings', () => {
    it("stores secrets encrypted, never returns them, and sends with the tenant's own LINE channel and sender", async () => {
      const initial = await h.api.http().get('/v1/settings/channels').set(admin).expect(200);
      expect(initial.body.line).toMatchObject({ usingPlatformDefault: true, channelSecretSet: false });

      const saved = await h.api
        .http()
        .put('/v1/settings/channels')
        .set(admin)
        .send({
          line: { channelId: '1655555555', channelSecret: 'tenant-channel-secret-xyz', accessToken: 'tenant-own-access-token-0123456789' },
          email: { fromName: '株式会社テスト 安否確認', fromAddress: 'anpi@tenant.example' },
        })
        .expect(200);
      expect(saved.body).toMatchObject({
        line: { usingPlatformDefault: false, channelId: '1655555555', channelSecretSet: true, accessTokenSet: true },
        email: { usingPlatformDefault: false, fromAddress: 'anpi@tenant.example' },
        sms: { usingPlatformDefault: true },
      });
      expect(JSON.stringify(saved.body)).not.toMatch(/tenant-channel-secret|tenant-own-access-token/);
      const row = await h.api.owner('SELECT line_channel_secret, line_access_token FROM channel_settings WHERE tenant_id = $1', [owner.tenant.id]);
      expect(row.rows[0].line_channel_secret).toMatch(/^v1\.t\./);
      expect(JSON.stringify(row.rows)).not.toMatch(/tenant-channel-secret|tenant-own-access-token/);

      // A LINE user id means something only on the channel that issued it: linked through the
      // shared account, the employee is not reachable on the tenant's own channel.
      const before = h.line.multicasts.length;
      const viaPlatform = await launch({ templateId: 'preset:earthquake', targets: { employeeIds: [staff.a!.id] } }).expect(202);
      await h.startWorker();
      await waitForBroadcast(h.api, owner.admin.accessToken, viaPlatform.body.id);
      expect(h.line.multicasts.length).toBe(before);
      await linkLine(h.api, staff.a!.id, lineUserId(10), 'linked', '1655555555');
      const res = await launch({ templateId: 'preset:earthquake', targets: { employeeIds: [staff.a!.id] } }).expect(202);
      await waitForBroadcast(h.api, owner.admin.accessToken, res.body.id);
      expect(h.line.multicasts.at(-1)!.accessToken).toBe('tenant-own-access-token-0123456789');
      expect(h.smtp.to('a@example.jp').at(-1)!.from).toBe('anpi@tenant.example');

      await h.api.http().put('/v1/settings/channels').set(admin).send({ line: null }).expect(200);
      const reverted = await h.api.http().get('/v1/settings/channels').set(admin).expect(200);
      expect(reverted.body.line).toMatchObject({ usingPlatformDefault: true, channelSecretSet: false });
      await h.api
        .http()
        .put('/v1/settings/channels')
        .set(admin)
        .send({ sms: { accountSid: 'nope', authToken: 'x' } })
        .expect(400);
      await h.worker!.close();
      h.worker = null;
    });
  });
});
