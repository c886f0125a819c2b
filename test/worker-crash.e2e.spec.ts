import { freePort, waitUntilReady } from '#anpi/processes';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { MESSAGES_IN_FLIGHT } from '#anpi/alerts';
import { bearer, Factory, lineUserId, type TenantWithAdmin } from './support/factories.js';
import { csvFile } from './support/csv.js';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';
import { PLATFORM_KEY, TEST_ANSWER_KEYS, TEST_SECRETS_KEY } from './support/test-config.js';

const EMPLOYEES = 800;
const CONCURRENCY = 2;

/**
 * A worker process killed with SIGKILL halfway through a broadcast, then started again: nothing is
 * lost, LINE never delivers twice (retry keys), and email and SMS repeat at most the messages that
 * were in flight at the kill — one group per running send job, so at most SEND_CONCURRENCY_EMAIL
 * (or _SMS) × MESSAGES_IN_FLIGHT (SMTP and Twilio have no idempotency key).
 */
describe('worker killed in the middle of a broadcast', () => {
  let h: DeliveryHarness;
  let owner: TenantWithAdmin;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    if (!existsSync('dist/apps/worker/src/main.js')) throw new Error('dist/ is missing: run the tests with `npm test`, which builds first');
    h = await startDeliveryHarness(
      { SEND_CONCURRENCY_EMAIL: String(CONCURRENCY), SEND_CONCURRENCY_SMS: String(CONCURRENCY), QUEUE_LOCK_MS: '2000', QUEUE_STALLED_INTERVAL_MS: '1000' },
      { worker: false },
    );
    owner = await new Factory(h.api).tenantWithAdmin();
    const rows = Array.from({ length: EMPLOYEES }, (_, i) => [
      `K${String(i).padStart(5, '0')}`,
      `社員 ${i}`,
      `k${i}@example.jp`,
      i % 2 === 0 ? `090${String(10_000_000 + i)}` : '',
    ]);
    await h.api
      .http()
      .post('/v1/employees/import')
      .set(bearer(owner.admin.accessToken))
      .set('Content-Type', 'text/csv')
      .send(csvFile([['社員番号', '氏名', 'メール', '携帯電話'], ...rows]))
      .expect(200);
    // Everyone linked their LINE account (what the LINE integration would have written).
    await h.api.owner(
      `UPDATE employees e SET line_user_id = 'U' || lpad(to_hex(1000 + n.i), 32, '0'),
        line_status = 'linked', line_linked_at = now(), line_channel_key = 'platform'
       FROM (SELECT id, row_number() OVER (ORDER BY code) - 1 AS i FROM employees WHERE tenant_id = $1) n WHERE e.id = n.id`,
      [owner.tenant.id],
    );
    expect((await h.api.owner('SELECT line_user_id FROM employees WHERE tenant_id = $1 ORDER BY code LIMIT 1', [owner.tenant.id])).rows[0].line_user_id).toBe(
      lineUserId(1000),
    );
    // Slow providers, so the kill lands mid-broadcast.
    h.smtp.latencyMs = 15;
    h.twilio.latencyMs = 15;
    h.line.latencyMs = 400;
  }, 60_000);
  afterAll(async () => {
    workers.forEach((w) => w.exitCode === null && w.kill('SIGKILL'));
    await h.close();
  });

  it('loses nothing, never repeats LINE, and repeats email/SMS at most for what was in flight', async () => {
    const first = await startWorkerProcess();
    const res = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(bearer(owner.admin.accessToken))
      .send({ templateId: 'preset:earthquake', targets: { all: true } })
      .expect(202);
    await until(() => h.smtp.received.length >= 60 && h.twilio.messages.length >= 30 && h.line.multicasts.length >= 1);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const atKill = { emails: h.smtp.received.length, sms: h.twilio.messages.length, line: h.line.multicasts.length };
    expect(atKill.emails).toBeLessThan(EMPLOYEES); // killed halfway, not after the end

    await startWorkerProcess();
    const done = await waitForBroadcast(h.api, owner.admin.accessToken, res.body.id, undefined, 90_000);
    expect(done.recipientCount).toBe(EMPLOYEES);
    expect(done.counts).toEqual({
      line: { pending: 0, sent: EMPLOYEES, failed: 0, skipped: 0, cancelled: 0 },
      email: { pending: 0, sent: EMPLOYEES, failed: 0, skipped: 0, cancelled: 0 },
      sms: { pending: 0, sent: EMPLOYEES / 2, failed: 0, skipped: EMPLOYEES / 2, cancelled: 0 },
    });

    // LINE: every user exactly once.
    const perUser = new Map<string, number>();
    for (const m of h.line.multicasts) for (const to of m.to) perUser.set(to, (perUser.get(to) ?? 0) + 1);
    expect(perUser.size).toBe(EMPLOYEES);
    expect([...perUser.values()].every((n) => n === 1)).toBe(true);

    // Email and SMS: everyone at least once; repeats bounded by the sends in flight at the kill.
    const emailTo = new Set(h.smtp.received.map((m) => m.to[0]));
    const smsTo = new Set(h.twilio.messages.map((m) => m.to));
    expect(emailTo.size).toBe(EMPLOYEES);
    expect(smsTo.size).toBe(EMPLOYEES / 2);
    expect(h.smtp.received.length - emailTo.size).toBeLessThanOrEqual(CONCURRENCY * MESSAGES_IN_FLIGHT);
    expect(h.twilio.messages.length - smsTo.size).toBeLessThanOrEqual(CONCURRENCY * MESSAGES_IN_FLIGHT);

    // Metered exactly once per sent delivery.
    const ledger = await h.api.owner(
      `SELECT (SELECT count(*)::int FROM usage_ledger WHERE broadcast_id = $1) AS entries,
              (SELECT count(*)::int FROM deliveries WHERE broadcast_id = $1 AND state = 'sent') AS sent`,
      [res.body.id],
    );
    expect(ledger.rows[0].entries).toBe(ledger.rows[0].sent);
    expect(h.line.violations).toEqual([]);
    expect(h.twilio.violations).toEqual([]);
  }, 120_000);

  async function startWorkerProcess(): Promise<ChildProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/apps/worker/src/main.js'], {
      env: {
        ...process.env,
        ...h.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        WORKER_PORT: String(port),
        PLATFORM_API_KEY: PLATFORM_KEY,
        JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
        ANPI_SECRETS_KEY: TEST_SECRETS_KEY,
        ANSWER_TOKEN_KEYS: TEST_ANSWER_KEYS,
        JMA_POLL_SECONDS: '0',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    workers.push(child);
    await waitUntilReady(`http://127.0.0.1:${port}/readyz`, child, { timeoutMs: 20_000, name: 'the worker' });
    return child;
  }
});

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
