import { jest } from '@jest/globals';
import {
  AnswerGroupCommit,
  AnswerLinks,
  AnswerRecorder,
  AnswersService,
  PageViewGroup,
  ResolvedAnswerGroup,
  type AnswerContext,
  type SubmitOutcome,
} from '#anpi/answers';
import { asTenantId, type TenantId } from '#anpi/db';
import { TallyNotifier } from '#anpi/tallies';
import { answerLinks } from './support/answer-links.js';
import { bearer, DirectoryFactory, Factory, type TenantWithAdmin } from './support/factories.js';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';

const SAFE = { self: 'safe', family: 'all_safe', home: 'no_damage', work: 'yes' };

/**
 * Answers from links written, answer pages opened, and one-tap answers (LINE's 無事です) recorded, in
 * groups: one transaction for what arrives together.
 */
describe('answers and page views in groups', () => {
  let h: DeliveryHarness;
  let answers: AnswersService;
  let groups: AnswerGroupCommit;
  let views: PageViewGroup;
  let a: { owner: TenantWithAdmin; broadcastId: string; links: Record<string, string> };
  let b: { owner: TenantWithAdmin; broadcastId: string; links: Record<string, string> };

  async function tenantWithAlert(employees: number): Promise<typeof a> {
    const owner = await new Factory(h.api).tenantWithAdmin();
    const dir = new DirectoryFactory(h.api, owner);
    const dept = await dir.department('総務部');
    for (let i = 0; i < employees; i++) await dir.employee({ code: `E${i}`, name: `社員 ${i}`, departmentId: dept.id, emails: [`e${i}@example.jp`] });
    const res = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(bearer(owner.admin.accessToken))
      .send({ templateId: 'preset:earthquake', targets: { all: true } })
      .expect(202);
    await waitForBroadcast(h.api, owner.admin.accessToken, res.body.id);
    const links = await answerLinks(h.api, res.body.id);
    // The first tap reads the broadcast's content; answers after it are grouped.
    await h.api.http().get(links.E0!).expect(200);
    return { owner, broadcastId: res.body.id, links };
  }

  const token = (link: string) => link.slice('/a/'.length);
  const recipient = async (broadcastId: string, code: string) =>
    (await h.api.owner('SELECT * FROM recipients WHERE broadcast_id = $1 AND employee_code = $2', [broadcastId, code])).rows[0];
  const recorded = (outcome: Awaited<ReturnType<AnswersService['answerByLink']>>): Extract<SubmitOutcome, { status: 'recorded' }> => {
    if (outcome.kind !== 'found' || outcome.value.outcome.status !== 'recorded') throw new Error(`not recorded: ${JSON.stringify(outcome)}`);
    return outcome.value.outcome;
  };

  beforeAll(async () => {
    h = await startDeliveryHarness();
    answers = h.api.app.get(AnswersService);
    groups = h.api.app.get(AnswerGroupCommit);
    views = h.api.app.get(PageViewGroup);
    a = await tenantWithAlert(60);
    b = await tenantWithAlert(3);
  }, 60_000);
  afterAll(() => h.close());
  afterEach(() => {
    groups.configure({ groupSize: 50, inFlight: 2 });
    views.configure({ groupSize: 50, inFlight: 2 });
    h.api.app.get(ResolvedAnswerGroup).configure({ groupSize: 50, inFlight: 2 });
    jest.restoreAllMocks();
  });

  it('writes answers that arrive together in one transaction, each once, each recipient current', async () => {
    groups.configure({ inFlight: 1 });
    const codes = Array.from({ length: 20 }, (_, i) => `E${i + 1}`);
    const outcomes = await Promise.all(
      codes.map((code, i) =>
        answers.answerByLink(token(a.links[code]!), { choices: { ...SAFE, work: i % 2 ? 'yes' : 'no' }, message: `メッセージ ${i}` }, `group-key-${i}`),
      ),
    );
    expect(outcomes.map((o) => recorded(o).duplicate)).toEqual(codes.map(() => false));
    const stored = await h.api.owner(
      `SELECT count(*)::int AS n, count(DISTINCT a.submitted_at)::int AS transactions,
        bool_and(r.answered_at = a.submitted_at AND r.choices = a.choices AND r.message = a.message) AS current
       FROM answers a JOIN recipients r ON r.id = a.recipient_id WHERE a.broadcast_id = $1 AND a.submission_key LIKE 'group-key-%'`,
      [a.broadcastId],
    );
    // now() is the transaction's start: one timestamp, one transaction.
    expect(stored.rows[0]).toEqual({ n: 20, transactions: 1, current: true });
    expect(outcomes.map((o) => (o.kind === 'found' ? o.value.ctx.recipient.employeeCode : null))).toEqual(codes);
  });

  it('keeps one recipient to one answer per group: a second answer follows in the next, a repeated form counts once', async () => {
    const link = token(a.links.E21!);
    const [first, repeated, second] = await Promise.all([
      answers.answerByLink(link, { choices: SAFE }, 'twice-a'),
      answers.answerByLink(link, { choices: SAFE }, 'twice-a'),
      answers.answerByLink(link, { choices: { ...SAFE, self: 'minor_injury' } }, 'twice-b'),
    ]);
    expect(recorded(first).duplicate).toBe(false);
    expect(recorded(repeated)).toMatchObject({ duplicate: true, answer: { id: recorded(first).answer.id } });
    expect(recorded(second).duplicate).toBe(false);
    const r = await recipient(a.broadcastId, 'E21');
    const history = await h.api.owner("SELECT submission_key, choices->>'self' AS self FROM answers WHERE recipient_id = $1 ORDER BY submitted_at", [r.id]);
    expect(history.rows).toEqual([
      { submission_key: 'twice-a', self: 'safe' },
      { submission_key: 'twice-b', self: 'minor_injury' },
    ]);
    expect(r.choices).toMatchObject({ self: 'minor_injury' });
  });

  it('gives each answer of a group its own outcome: invalid ones write nothing, the rest are stored', async () => {
    const [good, invalid] = await Promise.all([
      answers.answerByLink(token(a.links.E22!), { choices: SAFE }, 'mixed-1'),
      answers.answerByLink(token(a.links.E23!), { choices: { ...SAFE, family: 'unicorn' } }, 'mixed-2'),
    ]);
    expect(recorded(good).duplicate).toBe(false);
    expect(invalid).toMatchObject({ kind: 'found', value: { outcome: { status: 'invalid', problems: [{ field: 'family', code: 'unknown_option' }] } } });
    expect((await recipient(a.broadcastId, 'E23')).answered_at).toBeNull();
  });

  it("never reaches another tenant's recipient, even named in a group of this tenant's answers", async () => {
    const content = h.api.app.get(AnswerLinks).cachedContent(a.broadcastId)!;
    const theirs = await recipient(b.broadcastId, 'E1');
    const ours = await recipient(a.broadcastId, 'E24');
    const submit = (recipientId: string, key: string) =>
      groups.submit({ tenantId: asTenantId(content.tenantId), content, recipientId, input: { choices: SAFE }, submissionKey: key });
    const [intruder, own, theirOwn] = await Promise.all([
      submit(theirs.id, 'cross-tenant'),
      submit(ours.id, 'same-group'),
      answers.answerByLink(token(b.links.E2!), { choices: SAFE }, 'b-own'),
    ]);
    expect(intruder).toEqual({ kind: 'unknown' });
    expect(own).toMatchObject({ kind: 'found', value: { outcome: { status: 'recorded', duplicate: false } } });
    expect(theirOwn).toMatchObject({ kind: 'found', value: { ctx: { tenantId: b.owner.tenant.id }, outcome: { status: 'recorded' } } });
    expect((await recipient(b.broadcastId, 'E1')).answered_at).toBeNull();
    expect((await h.api.owner("SELECT count(*)::int AS n FROM answers WHERE submission_key = 'cross-tenant'")).rows[0].n).toBe(0);
  });

  it('writes the answers of a failed group one by one, and passes a database outage on (the page answers 503)', async () => {
    const grouped = jest.spyOn(groups, 'submit').mockRejectedValueOnce(new Error('statement failed'));
    const alone = await answers.answerByLink(token(a.links.E25!), { choices: SAFE }, 'after-failure');
    expect(grouped).toHaveBeenCalledTimes(1);
    expect(recorded(alone).duplicate).toBe(false);

    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    jest.spyOn(groups, 'submit').mockRejectedValueOnce(outage);
    await expect(answers.answerByLink(token(a.links.E26!), { choices: SAFE }, 'during-outage')).rejects.toBe(outage);
    expect((await recipient(a.broadcastId, 'E26')).answered_at).toBeNull();
  });

  it('rejects every answer of a group that fails as a whole, and goes on with the next group', async () => {
    const content = h.api.app.get(AnswerLinks).cachedContent(a.broadcastId)!;
    const ours = await recipient(a.broadcastId, 'E27');
    // A tenant id no unit of work accepts: the whole group fails before anything is written.
    const broken = 'not-a-uuid' as TenantId;
    await expect(groups.submit({ tenantId: broken, content, recipientId: ours.id, input: { choices: SAFE }, submissionKey: 'broken' })).rejects.toThrow(
      'tenant id must be a UUID',
    );
    expect(recorded(await answers.answerByLink(token(a.links.E27!), { choices: SAFE }, 'next-group')).duplicate).toBe(false);
  });

  it('opens pages that arrive together in one transaction: each first opening recorded once and told to the tally; later openings change nothing', async () => {
    views.configure({ inFlight: 1 });
    const told = jest.spyOn(h.api.app.get(TallyNotifier), 'changed');
    const codes = Array.from({ length: 10 }, (_, i) => `E${i + 30}`);
    const opened = await Promise.all(codes.map((code) => answers.openByLink(token(a.links[code]!))));
    expect(opened.map((o) => (o.kind === 'found' ? [o.value.recipient.employeeCode, o.value.broadcast.title, o.value.tenantId] : o.kind))).toEqual(
      codes.map((code) => [code, expect.stringContaining('地震'), a.owner.tenant.id]),
    );
    const stamps = await h.api.owner(
      'SELECT count(*)::int AS n, count(DISTINCT opened_at)::int AS transactions FROM recipients WHERE broadcast_id = $1 AND employee_code = ANY($2)',
      [a.broadcastId, codes],
    );
    // now() is the transaction's start: one timestamp, one transaction.
    expect(stamps.rows[0]).toEqual({ n: 10, transactions: 1 });
    expect(told).toHaveBeenCalledWith(a.owner.tenant.id, a.broadcastId);

    const first = (await recipient(a.broadcastId, 'E30')).opened_at;
    told.mockClear();
    const again = await answers.openByLink(token(a.links.E30!));
    expect(again).toMatchObject({ kind: 'found', value: { recipient: { employeeCode: 'E30' } } });
    expect((await recipient(a.broadcastId, 'E30')).opened_at).toEqual(first);
    expect(told).not.toHaveBeenCalled();
  });

  it("never opens another tenant's recipient, nor one of another broadcast, even named in a group of this tenant's views", async () => {
    const content = h.api.app.get(AnswerLinks).cachedContent(a.broadcastId)!;
    const theirs = await recipient(b.broadcastId, 'E0');
    const ours = await recipient(a.broadcastId, 'E40');
    const view = (recipientId: string, broadcast = content) => views.submit({ tenantId: asTenantId(content.tenantId), content: broadcast, recipientId });
    const otherBroadcast = { ...content, id: b.broadcastId };
    const [intruder, wrongBroadcast, own] = await Promise.all([
      view(theirs.id),
      view(ours.id, otherBroadcast),
      view((await recipient(a.broadcastId, 'E41')).id),
    ]);
    expect(intruder).toEqual({ kind: 'unknown' });
    expect(wrongBroadcast).toEqual({ kind: 'unknown' });
    expect(own).toMatchObject({ kind: 'found', value: { recipient: { employeeCode: 'E41' } } });
    expect((await recipient(b.broadcastId, 'E0')).opened_at).not.toBeNull(); // opened by its own tap in the set-up, not here
    const b0 = await h.api.owner('SELECT opened_at FROM recipients WHERE id = $1', [theirs.id]);
    expect(b0.rows[0].opened_at).toEqual(theirs.opened_at);
  });

  it('opens the pages of a failed group one by one, and passes a database outage on (the page answers 503)', async () => {
    jest.spyOn(views, 'submit').mockRejectedValueOnce(new Error('statement failed'));
    expect(await answers.openByLink(token(a.links.E42!))).toMatchObject({ kind: 'found', value: { recipient: { employeeCode: 'E42' } } });
    expect((await recipient(a.broadcastId, 'E42')).opened_at).not.toBeNull();

    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    jest.spyOn(views, 'submit').mockRejectedValueOnce(outage);
    await expect(answers.openByLink(token(a.links.E43!))).rejects.toBe(outage);
    expect((await recipient(a.broadcastId, 'E43')).opened_at).toBeNull();
  });

  describe('one-tap answers (a context already resolved, as the LINE worker has it)', () => {
    let recorder: AnswerRecorder;
    let oneTaps: ResolvedAnswerGroup;
    const context = async (of: typeof a, code: string): Promise<AnswerContext> => {
      const opened = await answers.openByLink(token(of.links[code]!));
      if (opened.kind !== 'found') throw new Error(`no context for ${code}`);
      return opened.value;
    };
    const tap = (ctx: AnswerContext, key: string, self = 'safe') => recorder.submit(ctx, { choices: { self } }, key, { source: 'line' });

    beforeAll(() => {
      recorder = h.api.app.get(AnswerRecorder);
      oneTaps = h.api.app.get(ResolvedAnswerGroup);
    });

    it('writes one-taps that arrive together in one transaction, each once; a redelivered tap counts once, a repeated person follows', async () => {
      oneTaps.configure({ inFlight: 1 });
      const codes = Array.from({ length: 10 }, (_, i) => `E${i + 45}`);
      const contexts = await Promise.all(codes.map((code) => context(a, code)));
      const told = jest.spyOn(h.api.app.get(TallyNotifier), 'changed');
      const outcomes = await Promise.all([
        ...contexts.map((ctx, i) => tap(ctx, `line:tap-${i}`)),
        tap(contexts[0]!, 'line:tap-0'),
        tap(contexts[1]!, 'line:tap-1-again', 'minor_injury'),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual([...codes, 'x', 'y'].map(() => 'recorded'));
      const [firstTap, redelivered, secondTap] = [outcomes[0]!, outcomes[10]!, outcomes[11]!] as Extract<SubmitOutcome, { status: 'recorded' }>[];
      expect(firstTap.duplicate).toBe(false);
      expect(redelivered).toMatchObject({ duplicate: true, answer: { id: firstTap.answer.id } });
      expect(secondTap.duplicate).toBe(false);
      const stored = await h.api.owner(
        `SELECT count(*)::int AS n, count(DISTINCT a.submitted_at)::int AS transactions, bool_and(a.source = 'line') AS line
         FROM answers a WHERE a.broadcast_id = $1 AND a.submission_key LIKE 'line:tap-%' AND a.submission_key <> 'line:tap-1-again'`,
        [a.broadcastId],
      );
      // now() is the transaction's start: one timestamp, one transaction for the ten.
      expect(stored.rows[0]).toEqual({ n: 10, transactions: 1, line: true });
      const current = await h.api.owner(
        `SELECT employee_code, choices->>'self' AS self, answered_at IS NOT NULL AS answered FROM recipients
         WHERE broadcast_id = $1 AND employee_code = ANY($2) ORDER BY seq`,
        [a.broadcastId, codes.slice(0, 3)],
      );
      expect(current.rows).toEqual([
        { employee_code: 'E45', self: 'safe', answered: true },
        { employee_code: 'E46', self: 'minor_injury', answered: true },
        { employee_code: 'E47', self: 'safe', answered: true },
      ]);
      expect(told).toHaveBeenCalledWith(a.owner.tenant.id, a.broadcastId);
    });

    it("keeps each tenant's one-taps in its own transaction under its own tenant", async () => {
      const [ours, theirs] = await Promise.all([context(a, 'E55'), context(b, 'E1')]);
      const [mine, other] = await Promise.all([tap(ours, 'line:two-tenants-a'), tap(theirs, 'line:two-tenants-b')]);
      expect([mine.status, other.status]).toEqual(['recorded', 'recorded']);
      const rows = await h.api.owner(
        `SELECT a.tenant_id, r.tenant_id AS recipient_tenant, r.employee_code FROM answers a JOIN recipients r ON r.id = a.recipient_id
         WHERE a.submission_key LIKE 'line:two-tenants-%' ORDER BY a.submission_key`,
      );
      expect(rows.rows).toEqual([
        { tenant_id: a.owner.tenant.id, recipient_tenant: a.owner.tenant.id, employee_code: 'E55' },
        { tenant_id: b.owner.tenant.id, recipient_tenant: b.owner.tenant.id, employee_code: 'E1' },
      ]);
    });

    it('writes a one-tap alone when its group failed as a whole, and passes a database outage on (the job is retried)', async () => {
      const [first, second] = await Promise.all([context(a, 'E56'), context(a, 'E57')]);
      jest.spyOn(oneTaps, 'submit').mockRejectedValueOnce(new Error('statement failed'));
      expect(await tap(first, 'line:after-failure')).toMatchObject({ status: 'recorded', duplicate: false });
      expect((await recipient(a.broadcastId, 'E56')).choices).toMatchObject({ self: 'safe' });

      const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      jest.spyOn(oneTaps, 'submit').mockRejectedValueOnce(outage);
      await expect(tap(second, 'line:during-outage')).rejects.toBe(outage);
      expect((await recipient(a.broadcastId, 'E57')).answered_at).toBeNull();
    });
  });
});
