import { answerLinks, submissionKey } from './support/answer-links.js';
import { bearer, DirectoryFactory, Factory, type DepartmentRow, type Session, type TenantWithAdmin } from './support/factories.js';
import { parseCsv } from './support/csv.js';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';

const answer = (self: string) => ({ 'q.self': self, 'q.family': 'all_safe', 'q.home': 'no_damage', 'q.work': 'yes' });

describe('tallies, recipients and the answers CSV', () => {
  let h: DeliveryHarness;
  let owner: TenantWithAdmin;
  let admin: { Authorization: string };
  let head: Session;
  let tree: Record<'hq' | 'sales' | 's1' | 's2' | 'ga', DepartmentRow>;
  let broadcastId: string;
  let links: Record<string, string>;

  beforeAll(async () => {
    h = await startDeliveryHarness();
    const make = new Factory(h.api);
    owner = await make.tenantWithAdmin();
    admin = bearer(owner.admin.accessToken);
    const dir = new DirectoryFactory(h.api, owner);
    const hq = await dir.department('本社', undefined, 'HQ');
    const sales = await dir.department('営業部', hq, 'SALES');
    tree = {
      hq,
      sales,
      s1: await dir.department('第一課', sales, 'S1'),
      s2: await dir.department('第二課', sales, 'S2'),
      ga: await dir.department('総務部', hq, 'GA'),
    };
    const people: [string, DepartmentRow][] = [
      ['A', tree.hq],
      ['B', tree.sales],
      ['C', tree.s1],
      ['D', tree.s1],
      ['E', tree.s2],
      ['F', tree.ga],
      ['G', tree.ga],
    ];
    for (const [code, dept] of people)
      await dir.employee({
        code,
        name: `社員 ${code}`,
        departmentId: dept.id,
        emails: [`${code.toLowerCase()}@example.jp`],
        mobiles: code === 'G' ? ['090-7777-7777'] : [],
      });
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
      .send({ templateId: 'preset:earthquake', channels: ['email'], targets: { all: true } })
      .expect(202);
    broadcastId = res.body.id;
    await waitForBroadcast(h.api, owner.admin.accessToken, broadcastId);
    links = await answerLinks(h.api, broadcastId);
    // B opens without answering; C, D, E answer on the page; F is answered for by an admin; A and G do nothing.
    await h.api.http().get(links.B!).expect(200);
    for (const [code, self] of [
      ['C', 'safe'],
      ['D', 'minor_injury'],
      ['E', 'safe'],
    ] as const) {
      const key = submissionKey((await h.api.http().get(links[code]!).expect(200)).text);
      await h.api
        .http()
        .post(links[code]!)
        .type('form')
        .send({ ...answer(self), k: key })
        .expect(200);
    }
    const f = await h.api.owner('SELECT id FROM recipients WHERE broadcast_id = $1 AND employee_code = $2', [broadcastId, 'F']);
    await h.api
      .http()
      .post(`/v1/broadcasts/${broadcastId}/recipients/${f.rows[0].id}/answer`)
      .set(admin)
      .send({ choices: { self: 'serious_injury', family: 'unknown', home: 'partial', work: 'no' } })
      .expect(201);
  });
  afterAll(() => h.close());

  // The first read waits for the worker's recomputation after the last answer; later ones read it.
  const tally = (who: { Authorization: string }, query = '') => waitForTally(who, query, (t) => query !== '' || who !== admin || t.total.answered === 4);
  async function waitForTally(who: { Authorization: string }, query: string, ready: (t: Tally) => boolean): Promise<Tally> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await h.api.http().get(`/v1/broadcasts/${broadcastId}/tally${query}`).set(who);
      if (res.status !== 200) return res.body;
      if (ready(res.body) || Date.now() > deadline) return res.body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const byName = (t: Tally) => Object.fromEntries(t.departments.map((d) => [d.name, d]));

  it('counts the whole company and every department, rolled up through the tree, as counted by hand', async () => {
    const t = await tally(admin);
    expect(t.total).toEqual({
      targeted: 7,
      delivered: 7,
      opened: 4,
      answered: 4,
      answeredPartially: 0,
      unanswered: 3,
      answerRate: 0.571,
      questions: expect.any(Object),
    });
    expect(t.total.questions.self).toEqual({ safe: 2, minor_injury: 1, serious_injury: 1 });
    expect(t.total.questions.work).toEqual({ yes: 3, no: 1 });
    const d = byName(t);
    expect(d['本社']).toMatchObject({ targeted: 7, answered: 4, depth: 1 });
    expect(d['営業部']).toMatchObject({
      targeted: 4,
      delivered: 4,
      opened: 4,
      answered: 3,
      unanswered: 1,
      answerRate: 0.75,
      questions: { self: { safe: 2, minor_injury: 1 } },
    });
    expect(d['第一課']).toMatchObject({ targeted: 2, opened: 2, answered: 2, depth: 3, questions: { self: { safe: 1, minor_injury: 1 } } });
    expect(d['第二課']).toMatchObject({ targeted: 1, answered: 1, questions: { self: { safe: 1 } } });
    expect(d['総務部']).toMatchObject({ targeted: 2, opened: 0, answered: 1, questions: { self: { serious_injury: 1 } } });
    expect(t.channels.email).toEqual({ targeted: 7, delivered: 7, answered: 4 });
  });

  it('sends the company tally gzipped to clients that take gzip, and the same JSON to those that do not', async () => {
    await tally(admin);
    const gz = await h.api.http().get(`/v1/broadcasts/${broadcastId}/tally`).set(admin).set('Accept-Encoding', 'gzip').expect(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toMatch(/^application\/json/);
    const plain = await h.api.http().get(`/v1/broadcasts/${broadcastId}/tally`).set(admin).set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    // The same tally (a refresh may land between the two reads: computedAt aside).
    expect({ ...gz.body, computedAt: null }).toEqual({ ...plain.body, computedAt: null });
    // A narrowed view is serialised per request, never from the company's gzip.
    const narrowed = await h.api
      .http()
      .get(`/v1/broadcasts/${broadcastId}/tally?department=${tree.sales.id}`)
      .set(admin)
      .set('Accept-Encoding', 'gzip')
      .expect(200);
    expect(narrowed.headers['content-encoding']).toBeUndefined();
    expect(narrowed.body.total).toMatchObject({ targeted: 4, answered: 3 });
  });

  it('narrows to a subtree on request', async () => {
    const t = await tally(admin, `?department=${tree.sales.id}`);
    expect(t.departments.map((d) => d.name).sort()).toEqual(['営業部', '第一課', '第二課'].sort());
    expect(t.total).toMatchObject({ targeted: 4, answered: 3 });
  });

  it('gives department heads their subtrees only, whatever they ask for; outside them is 403', async () => {
    const mine = await waitForTally(bearer(head.accessToken), '', (x) => x.total.answered === 3);
    expect(mine.departments.map((d) => d.name).sort()).toEqual(['営業部', '第一課', '第二課'].sort());
    expect(mine.total).toMatchObject({ targeted: 4, answered: 3, unanswered: 1 });
    const narrower = await tally(bearer(head.accessToken), `?department=${tree.s1.id}`);
    expect(narrower.departments.map((d) => d.name)).toEqual(['第一課']);
    const outside = await h.api.http().get(`/v1/broadcasts/${broadcastId}/tally?department=${tree.ga.id}`).set(bearer(head.accessToken)).expect(403);
    expect(outside.body.code).toBe('outside_your_departments');
    await h.api.http().get(`/v1/broadcasts/${broadcastId}/tally?department=${tree.hq.id}`).set(bearer(head.accessToken)).expect(403);
  });

  it('lists who has not answered, with contacts for admins and channel flags only for heads', async () => {
    const unanswered = await h.api.http().get(`/v1/broadcasts/${broadcastId}/recipients?state=unanswered`).set(admin).expect(200);
    expect(unanswered.body.items.map((r: { employeeCode: string }) => r.employeeCode).sort()).toEqual(['A', 'B', 'G']);
    const g = unanswered.body.items.find((r: { employeeCode: string }) => r.employeeCode === 'G');
    expect(g).toMatchObject({ state: 'unanswered', emails: ['g@example.jp'], mobiles: ['+819077777777'] });
    const opened = await h.api.http().get(`/v1/broadcasts/${broadcastId}/recipients?state=opened`).set(admin).expect(200);
    expect(opened.body.items.map((r: { employeeCode: string }) => r.employeeCode)).toEqual(['B']);

    const heads = await h.api.http().get(`/v1/broadcasts/${broadcastId}/recipients?state=unanswered`).set(bearer(head.accessToken)).expect(200);
    expect(heads.body.items.map((r: { employeeCode: string }) => r.employeeCode)).toEqual(['B']);
    expect(heads.body.items[0]).not.toHaveProperty('emails');
    expect(heads.body.items[0]).not.toHaveProperty('mobiles');
    expect(heads.body.items[0].channels).toEqual({ email: true, mobile: false, line: false });
    await h.api.http().get(`/v1/broadcasts/${broadcastId}/recipients?department=${tree.ga.id}`).set(bearer(head.accessToken)).expect(403);
  });

  it('exports one CSV row per recipient with department path, state, answers, message and time; heads get their subtrees', async () => {
    const res = await h.api.http().get(`/v1/broadcasts/${broadcastId}/answers.csv`).set(admin).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(res.text);
    expect(rows[0]).toEqual([
      '社員番号 / employee_code',
      '氏名 / name',
      '部署 / department',
      '状態 / state',
      '本人 / You',
      '家族 / Family',
      '家屋 / Home',
      '出社 / Coming to work',
      'メッセージ / message',
      '回答日時 / answered_at',
    ]);
    const d = rows.find((r) => r[0] === 'D')!;
    expect(d.slice(0, 8)).toEqual(['D', '社員 D', '本社 › 営業部 › 第一課', '回答済 / answered', '軽傷', '全員無事', '無事', '可能']);
    expect(d[9]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(rows.find((r) => r[0] === 'B')!.slice(3, 5)).toEqual(['未回答(開封済) / opened', '']);
    expect(rows).toHaveLength(8);

    const theirs = parseCsv((await h.api.http().get(`/v1/broadcasts/${broadcastId}/answers.csv`).set(bearer(head.accessToken)).expect(200)).text);
    expect(
      theirs
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['B', 'C', 'D', 'E']);
  });

  it('pushes the updated tally over Server-Sent Events after an answer', async () => {
    await h.api.app.listen(0, '127.0.0.1');
    const url = `${await h.api.app.getUrl()}/v1/broadcasts/${broadcastId}/tally/stream`.replace('[::1]', '127.0.0.1');
    const controller = new AbortController();
    const response = await fetch(url, { headers: admin, signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const events: Tally[] = [];
    let buffer = '';
    const next = async (): Promise<Tally> => {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const raw = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = raw.split('\n').find((l) => l.startsWith('data: '));
          if (data) return JSON.parse(data.slice(6)) as Tally;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += new TextDecoder().decode(value);
      }
    };
    events.push(await next());
    expect(events[0]!.total.answered).toBe(4);
    const key = submissionKey((await h.api.http().get(links.A!).expect(200)).text);
    await h.api
      .http()
      .post(links.A!)
      .type('form')
      .send({ ...answer('safe'), k: key })
      .expect(200);
    let latest = events[0]!;
    while (latest.total.answered < 5) latest = await next();
    expect(latest.total.questions.self!.safe).toBe(3);
    controller.abort();
    // Department reads reuse a parsed copy of the cached tally while it is the latest: announced
    // above, the new one is what they read now.
    const hq = await h.api.http().get(`/v1/broadcasts/${broadcastId}/tally?department=${tree.hq.id}`).set(admin).expect(200);
    expect(hq.body.total.answered).toBe(5);
  });

  it('is for admins and department heads, within the tenant', async () => {
    const maintainer = await new Factory(h.api).user(owner, 'maintainer');
    await h.api.http().get(`/v1/broadcasts/${broadcastId}/tally`).set(bearer(maintainer.accessToken)).expect(403);
    // Heads find broadcasts to open their tallies, but not who was sent what.
    expect((await h.api.http().get('/v1/broadcasts').set(bearer(head.accessToken)).expect(200)).body.items[0].id).toBe(broadcastId);
    await h.api.http().get(`/v1/broadcasts/${broadcastId}`).set(bearer(head.accessToken)).expect(200);
    await h.api.http().get(`/v1/broadcasts/${broadcastId}/deliveries`).set(bearer(head.accessToken)).expect(403);
    await h.api
      .http()
      .post('/v1/broadcasts')
      .set(bearer(head.accessToken))
      .send({ templateId: 'preset:drill', targets: { all: true } })
      .expect(403);
    const other = await new Factory(h.api).tenantWithAdmin();
    // The company tally is cached by now (read just before): another tenant's admin still gets 404.
    await h.api.http().get(`/v1/broadcasts/${broadcastId}/tally`).set(admin).expect(200);
    await h.api.http().get(`/v1/broadcasts/${broadcastId}/tally`).set(bearer(other.admin.accessToken)).set('Accept-Encoding', 'gzip').expect(404);
    for (const path of ['tally', 'recipients', 'answers.csv'])
      await h.api.http().get(`/v1/broadcasts/${broadcastId}/${path}`).set(bearer(other.admin.accessToken)).expect(404);
  });
});

interface Counts {
  targeted: number;
  delivered: number;
  opened: number;
  answered: number;
  unanswered: number;
  answerRate: number;
  questions: Record<string, Record<string, number>>;
}
interface Tally {
  total: Counts;
  departments: (Counts & { name: string; depth: number })[];
  channels: Record<string, { targeted: number; delivered: number; answered: number }>;
}
