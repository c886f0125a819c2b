import { answerLinks, submissionKey } from './support/answer-links.js';
import { bearer, DirectoryFactory, Factory, linkLine, lineUserId, type TenantWithAdmin } from './support/factories.js';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';

const MINUTE_MS = 1500;
const SAFE = { 'q.self': 'safe', 'q.family': 'all_safe', 'q.home': 'no_damage', 'q.work': 'yes' };

/** Policies in "minutes" of 1.5 s (REMINDER_MINUTE_MS), so the test runs in seconds yet answers before the first reminder on a loaded machine. */
describe('reminders and escalation', () => {
  let h: DeliveryHarness;
  let owner: TenantWithAdmin;
  let admin: { Authorization: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await startDeliveryHarness({ REMINDER_MINUTE_MS: String(MINUTE_MS) });
    owner = await new Factory(h.api).tenantWithAdmin();
    admin = bearer(owner.admin.accessToken);
    const dir = new DirectoryFactory(h.api, owner);
    for (const code of ['X', 'Y', 'Z']) ids[code] = (await dir.employee({ code, name: `社員 ${code}`, emails: [`${code.toLowerCase()}@example.jp`] })).id;
    ids.P = (await dir.employee({ code: 'P', name: '社員 P', emails: ['p@example.jp'] })).id;
    ids.Q = (await dir.employee({ code: 'Q', name: '社員 Q', emails: ['q@example.jp'] })).id;
    ids.R = (await dir.employee({ code: 'R', name: '社員 R', emails: ['r@example.jp'] })).id;
    await linkLine(h.api, ids.P, lineUserId(501));
    await linkLine(h.api, ids.R, lineUserId(503));
  });
  afterAll(() => h.close());

  const answer = async (link: string) =>
    h.api
      .http()
      .post(link)
      .type('form')
      .send({ ...SAFE, k: submissionKey((await h.api.http().get(link).expect(200)).text) })
      .expect(200);
  /** An email alert with reminders every "minute", sent; what the launch answered. */
  const emailWithReminders = async (title: string, employeeIds: string[], maxReminders: number): Promise<{ id: string; reminder: unknown }> => {
    const res = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(admin)
      .send({
        templateId: 'preset:earthquake',
        title,
        body: '回答してください',
        channels: ['email'],
        targets: { employeeIds },
        reminder: { intervalMinutes: 1, maxReminders },
      })
      .expect(202);
    await waitForBroadcast(h.api, owner.admin.accessToken, res.body.id);
    return res.body as { id: string; reminder: unknown };
  };
  const until = async (check: () => Promise<boolean> | boolean, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('not in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('re-sends to those who have not answered, at most K times, and never to someone who answered', async () => {
    const before = { x: h.smtp.to('x@example.jp').length, y: h.smtp.to('y@example.jp').length };
    const launched = await emailWithReminders('リマインド試験', [ids.X!, ids.Y!, ids.Z!], 2);
    expect(launched.reminder).toEqual({ intervalMinutes: 1, maxReminders: 2 });
    const links = await answerLinks(h.api, launched.id);
    await answer(links.X!); // before the first reminder
    await until(async () => (await h.api.http().get(`/v1/broadcasts/${launched.id}`).set(admin)).body.remindersSent === 2);
    await waitForBroadcast(h.api, owner.admin.accessToken, launched.id);
    await answer(links.Y!); // after the second and last reminder: nothing more would come anyway
    await new Promise((resolve) => setTimeout(resolve, MINUTE_MS * 2));

    expect(h.smtp.to('x@example.jp').length - before.x).toBe(1);
    const toY = h.smtp
      .to('y@example.jp')
      .slice(before.y)
      .map((m) => m.subject);
    expect(toY).toEqual(['【安否確認】リマインド試験', '【安否確認】【再送】リマインド試験', '【安否確認】【再送】リマインド試験']);
    expect(
      h.smtp
        .to('z@example.jp')
        .map((m) => m.subject)
        .filter((s) => s.includes('リマインド試験')),
    ).toHaveLength(3);
    // Reminders are metered like first sends: one ledger row per sent delivery.
    const ledger = await h.api.owner(
      `SELECT count(*)::int AS n, count(DISTINCT d.round)::int AS rounds
        FROM usage_ledger u JOIN deliveries d ON d.id = u.delivery_id WHERE u.broadcast_id = $1`,
      [launched.id],
    );
    expect(ledger.rows[0]).toEqual({ n: 3 + 2 + 2, rounds: 3 });
  });

  it('a reminder that finds everyone answered sends nothing and leaves the broadcast completed', async () => {
    const { id } = await emailWithReminders('全員回答試験', [ids.X!], 1);
    await answer((await answerLinks(h.api, id)).X!);
    await until(async () => (await h.api.http().get(`/v1/broadcasts/${id}`).set(admin)).body.remindersSent === 1);
    const view = await waitForBroadcast(h.api, owner.admin.accessToken, id, undefined, 5_000);
    expect(view).toMatchObject({ status: 'completed', remindersSent: 1 });
    expect(h.smtp.to('x@example.jp').filter((m) => m.subject.includes('全員回答試験'))).toHaveLength(1);
  });

  it('stops reminding everyone once the broadcast is closed', async () => {
    const { id } = await emailWithReminders('締切試験', [ids.Z!], 5);
    await until(async () => (await h.api.http().get(`/v1/broadcasts/${id}`).set(admin)).body.remindersSent === 1);
    await h.api.http().post(`/v1/broadcasts/${id}/close`).set(admin).expect(200);
    await new Promise((resolve) => setTimeout(resolve, MINUTE_MS * 3));
    const view = await h.api.http().get(`/v1/broadcasts/${id}`).set(admin).expect(200);
    expect(view.body.remindersSent).toBe(1);
    expect(h.smtp.to('z@example.jp').filter((m) => m.subject.includes('締切試験'))).toHaveLength(2);
  });

  it('escalates one channel at a time: LINE first, email at once to those LINE cannot reach, later to those who have not answered', async () => {
    const res = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(admin)
      .send({
        templateId: 'preset:earthquake',
        title: '段階送信',
        body: '回答してください',
        channels: ['line', 'email'],
        targets: { employeeIds: [ids.P, ids.Q, ids.R] },
        escalation: { order: ['line', 'email'], afterMinutes: 1 },
      })
      .expect(202);
    await waitForBroadcast(h.api, owner.admin.accessToken, res.body.id);
    const mail = (addr: string) => h.smtp.to(addr).filter((m) => m.subject.includes('段階送信'));
    // At once: LINE to P and R; email only to Q, whom LINE cannot reach.
    const multicast = h.line.multicasts.find((m) => JSON.stringify(m.messages).includes(res.body.id))!;
    expect(multicast.to.sort()).toEqual([lineUserId(501), lineUserId(503)]);
    expect([mail('p@example.jp').length, mail('q@example.jp').length, mail('r@example.jp').length]).toEqual([0, 1, 0]);
    const links = await answerLinks(h.api, res.body.id);
    await answer(links.R!); // R answers on LINE's prompt before the escalation
    await until(() => mail('p@example.jp').length === 1);
    await new Promise((resolve) => setTimeout(resolve, MINUTE_MS));
    expect([mail('p@example.jp').length, mail('q@example.jp').length, mail('r@example.jp').length]).toEqual([1, 1, 0]);
    expect(mail('p@example.jp')[0]!.subject).toBe('【安否確認】段階送信');
  });
});
