import { answerLinks } from './support/answer-links.js';
import { bearer, DirectoryFactory, Factory, type DepartmentRow, type Session, type TenantWithAdmin } from './support/factories.js';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';

/** After the alert: HR's follow-up tools, and what department heads may see and do. */
describe('follow-up: reminders now, partial answers, closed broadcasts, heads', () => {
  let h: DeliveryHarness;
  let owner: TenantWithAdmin;
  let admin: { Authorization: string };
  let head: Session;
  let sales: DepartmentRow;
  let ga: DepartmentRow;
  const ids: Record<string, string> = {};
  let broadcastId: string;

  beforeAll(async () => {
    h = await startDeliveryHarness();
    const make = new Factory(h.api);
    owner = await make.tenantWithAdmin();
    admin = bearer(owner.admin.accessToken);
    const dir = new DirectoryFactory(h.api, owner);
    sales = await dir.department('営業部', undefined, 'SALES');
    ga = await dir.department('総務部', undefined, 'GA');
    for (const [code, dept] of [
      ['S1', sales],
      ['S2', sales],
      ['G1', ga],
    ] as const) {
      ids[code] = (
        await dir.employee({ code, name: `社員 ${code}`, departmentId: dept.id, emails: [`${code.toLowerCase()}@example.jp`], mobiles: ['090-1111-2222'] })
      ).id;
    }
    head = await make.user(owner, 'department_head');
    await h.api
      .http()
      .put(`/v1/users/${head.user.id}/departments`)
      .set(admin)
      .send({ departmentIds: [sales.id] })
      .expect(200);
    const res = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(admin)
      .send({ templateId: 'preset:earthquake', channels: ['email'], targets: { employeeIds: [ids.S1, ids.S2, ids.G1] } })
      .expect(202);
    broadcastId = res.body.id;
    await waitForBroadcast(h.api, owner.admin.accessToken, broadcastId);
  });
  afterAll(() => h.close());

  const recipientOf = async (code: string) =>
    (await h.api.owner('SELECT id FROM recipients WHERE broadcast_id = $1 AND employee_code = $2', [broadcastId, code])).rows[0].id as string;

  it('shows a department head only the targets within their departments, the rest as a count', async () => {
    const list = await h.api.http().get('/v1/broadcasts').set(bearer(head.accessToken)).expect(200);
    const mine = list.body.items.find((b: { id: string }) => b.id === broadcastId);
    expect(mine.targets).toEqual({ employeeIds: [ids.S1, ids.S2], otherEmployees: 1 });
    const one = await h.api.http().get(`/v1/broadcasts/${broadcastId}`).set(bearer(head.accessToken)).expect(200);
    expect(one.body.targets.employeeIds).not.toContain(ids.G1);
    const full = await h.api.http().get(`/v1/broadcasts/${broadcastId}`).set(admin).expect(200);
    expect(full.body.targets).toEqual({ employeeIds: [ids.S1, ids.S2, ids.G1] });
  });

  it('records a partial proxy answer (「無事です」 only) and counts it apart as answeredPartially', async () => {
    const s1 = await recipientOf('S1');
    const res = await h.api
      .http()
      .post(`/v1/broadcasts/${broadcastId}/recipients/${s1}/answer`)
      .set(admin)
      .send({ choices: { self: 'safe' } })
      .expect(201);
    expect(res.body).toMatchObject({ source: 'proxy', choices: { self: 'safe' } });
    const deadline = Date.now() + 10_000;
    let tally;
    do {
      tally = (await h.api.http().get(`/v1/broadcasts/${broadcastId}/tally`).set(admin).expect(200)).body;
      if (tally.total.answered === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } while (Date.now() < deadline);
    expect(tally.total).toMatchObject({ answered: 1, answeredPartially: 1, unanswered: 2 });
    const partial = await h.api.http().get(`/v1/broadcasts/${broadcastId}/recipients?state=partial`).set(admin).expect(200);
    expect(partial.body.items.map((r: { employeeCode: string; answeredPartially: boolean }) => [r.employeeCode, r.answeredPartially])).toEqual([['S1', true]]);
    // A complete answer is not partial.
    await h.api
      .http()
      .post(`/v1/broadcasts/${broadcastId}/recipients/${s1}/answer`)
      .set(admin)
      .send({ choices: { self: 'safe', family: 'all_safe', home: 'no_damage', work: 'yes' } })
      .expect(201);
    const after = await h.api.http().get(`/v1/broadcasts/${broadcastId}/recipients?state=answered`).set(admin).expect(200);
    expect(after.body.items[0]).toMatchObject({ employeeCode: 'S1', answeredPartially: false });
  });

  it('lets heads see contacts and enter proxy answers in their subtrees only when an admin turns it on (audited)', async () => {
    const s2 = await recipientOf('S2');
    const g1 = await recipientOf('G1');
    const before = await h.api.http().get(`/v1/broadcasts/${broadcastId}/recipients`).set(bearer(head.accessToken)).expect(200);
    expect(before.body.items[0].mobiles).toBeUndefined();
    const refused = await h.api
      .http()
      .post(`/v1/broadcasts/${broadcastId}/recipients/${s2}/answer`)
      .set(bearer(head.accessToken))
      .send({ choices: { self: 'safe' } })
      .expect(403);
    expect(refused.body.code).toBe('heads_cannot_proxy');
    await h.api.http().patch('/v1/settings').set(bearer(head.accessToken)).send({ headsSeeContacts: true }).expect(403);
    await h.api.http().patch('/v1/settings').set(admin).send({ headsSeeContacts: true }).expect(200);
    const audit = await h.api.http().get('/v1/audit-log?action=settings.update').set(admin).expect(200);
    expect(audit.body.items[0].details).toEqual({ headsSeeContacts: true });

    const after = await h.api.http().get(`/v1/broadcasts/${broadcastId}/recipients`).set(bearer(head.accessToken)).expect(200);
    expect(after.body.items.map((r: { employeeCode: string }) => r.employeeCode)).toEqual(['S1', 'S2']);
    expect(after.body.items[1].mobiles).toEqual(['+819011112222']);
    await h.api
      .http()
      .post(`/v1/broadcasts/${broadcastId}/recipients/${s2}/answer`)
      .set(bearer(head.accessToken))
      .send({ choices: { self: 'safe' } })
      .expect(201);
    // The directory shows them too, for their subtrees only.
    const people = await h.api.http().get('/v1/employees').set(bearer(head.accessToken)).expect(200);
    expect(people.body.items.map((e: { code: string; mobiles: string[] }) => [e.code, e.mobiles])).toEqual([
      ['S1', ['+819011112222']],
      ['S2', ['+819011112222']],
    ]);
    // Outside their departments: as if it did not exist.
    await h.api
      .http()
      .post(`/v1/broadcasts/${broadcastId}/recipients/${g1}/answer`)
      .set(bearer(head.accessToken))
      .send({ choices: { self: 'safe' } })
      .expect(404);
    await h.api.http().patch('/v1/settings').set(admin).send({ headsSeeContacts: false }).expect(200);
    expect((await h.api.http().get('/v1/employees').set(bearer(head.accessToken)).expect(200)).body.items[0].mobiles).toBeUndefined();
  });

  it('re-sends now to the unanswered only (「未回答者に再送」), once per Idempotency-Key, audited', async () => {
    const before = { s1: h.smtp.to('s1@example.jp').length, g1: h.smtp.to('g1@example.jp').length };
    const first = await h.api.http().post(`/v1/broadcasts/${broadcastId}/remind`).set(admin).set('Idempotency-Key', 'remind-1').expect(202);
    expect(first.body).toMatchObject({ broadcastId, reminder: 1, unanswered: 1, replayed: false });
    const again = await h.api.http().post(`/v1/broadcasts/${broadcastId}/remind`).set(admin).set('Idempotency-Key', 'remind-1').expect(202);
    expect(again.body).toMatchObject({ reminder: 1, replayed: true });
    await h.api.http().post(`/v1/broadcasts/${broadcastId}/remind`).set(bearer(head.accessToken)).expect(403);
    const deadline = Date.now() + 10_000;
    while (h.smtp.to('g1@example.jp').length === before.g1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await waitForBroadcast(h.api, owner.admin.accessToken, broadcastId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const toG1 = h.smtp
      .to('g1@example.jp')
      .slice(before.g1)
      .map((m) => m.subject);
    expect(toG1).toEqual([expect.stringContaining('【再送】')]);
    expect(h.smtp.to('s1@example.jp').length).toBe(before.s1);
    const audit = await h.api.http().get(`/v1/audit-log?action=broadcast.remind&resourceId=${broadcastId}`).set(admin).expect(200);
    expect(audit.body.items).toHaveLength(1);
    // Answer links in the re-sent message work like the first ones.
    expect(Object.keys(await answerLinks(h.api, broadcastId))).toHaveLength(3);
  });

  it('says closed (with closedAt) once answers are no longer taken, and refuses reminders then', async () => {
    const closed = await h.api.http().post(`/v1/broadcasts/${broadcastId}/close`).set(admin).expect(200);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.closedAt).toBeTruthy();
    const list = await h.api.http().get('/v1/broadcasts').set(admin).expect(200);
    expect(list.body.items.find((b: { id: string }) => b.id === broadcastId).status).toBe('closed');
    const remind = await h.api.http().post(`/v1/broadcasts/${broadcastId}/remind`).set(admin).expect(409);
    expect(remind.body.code).toBe('closed');
  });
});
