import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { MESSAGES_IN_FLIGHT } from '#anpi/alerts';
import { startDeliveryServices, type DeliveryServices } from './fanout-scenario.js';
import { createDepartments, writeCsv } from './import-scenario.js';
import { freshDatabase, json, root, secrets, signedAnswerLinks, startService, type Service } from './support.js';

/** Send jobs per channel the worker runs at once (the default), for the duplicate bound. */
const SEND_CONCURRENCY = 8;
/**
 * Email as production sends it here: SendGrid first, SMTP behind it. Requests of 100 at 20 a
 * second, so 10,000 emails take seconds and a provider fault lands in the middle of them; the
 * request size is also what a lost answer can repeat.
 */
const EMAIL = { provider: 'sendgrid', secondary: 'smtp', batchSize: 100, requestsPerSecond: 20 } as const;

interface Outcome {
  fault: string;
  how: string;
  seconds: number;
  deliveries: Record<string, Record<string, number>>;
  checks: { name: string; ok: boolean; detail: string }[];
}

/**
 * `npm run test:faults [-- --employees 10000]`: faults injected while an alert to every employee
 * is in flight — the worker killed (SIGKILL) and restarted, Redis restarted, PostgreSQL stopped
 * for 10 s while employees answer, LINE and Twilio answering 429 for 20 s, SendGrid answering 500
 * for 30 s in the middle of the email (failover to SMTP) — and after each the
 * invariants: every LINE user exactly one accepted message, email/SMS repeats within the in-flight
 * bound, nothing pending, every failure with a reason, usage ledger = sent deliveries, every
 * accepted answer stored once. Exits 1 if any check fails; writes bench/results/faults-latest.md.
 */
async function main(): Promise<void> {
  const sizeArg = process.argv.indexOf('--employees');
  const employees = sizeArg > 0 ? Number(process.argv[sizeArg + 1]) : 10_000;
  const databaseUrl = await freshDatabase('anpi_faults');
  const env: Record<string, string> = { ...secrets(), DATABASE_URL: databaseUrl, REDIS_PREFIX: `anpi-faults-${process.pid}` };
  const api = await startService('api', env);
  const services = await startDeliveryServices({ ...env, EMAIL_FAILOVER_COOLDOWN_SECONDS: '10' }, { email: EMAIL });
  // The benchmark's own connection, replaced after PostgreSQL is restarted below.
  const conn = { db: await reconnect(databaseUrl) };
  const outcomes: Outcome[] = [];
  try {
    const token = await seed(api, env, employees, conn.db);
    const run = (fault: string, how: string, inject: (ctx: RunContext) => Promise<void>) =>
      runFault(api, env, services, conn, token, fault, how, inject).then((o) => outcomes.push(o));

    await run('worker killed', 'SIGKILL to the worker process once a third of the deliveries are sent; a new worker started 1 s later', async (ctx) => {
      await ctx.untilSentShare(1 / 3);
      services.worker.child.kill('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await services.startWorker();
    });

    await run(
      'Redis restarted',
      'once a third of the deliveries are sent: SHUTDOWN SAVE, then redis-server started again on the same port and data ' +
        'file (a Redis with persistence, as BullMQ requires in production)',
      async (ctx) => {
        await ctx.untilSentShare(1 / 3);
        restartRedis();
      },
    );

    await run(
      'PostgreSQL stopped 10 s',
      'all recipients answer, spread evenly over 20 s (20 at a time, retrying on 503 after Retry-After); after 2 s PostgreSQL is stopped for 10 s',
      async (ctx) => {
        await ctx.untilSentShare(1 / 3);
        const answering = ctx.answerAll();
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        postgres('stop');
        await new Promise((resolve) => setTimeout(resolve, 10_000));
        postgres('start');
        await waitForPostgres(databaseUrl);
        await conn.db.end().catch(() => undefined);
        conn.db = await reconnect(databaseUrl);
        await answering;
      },
    );

    await run(
      'providers throttling',
      'LINE (429 without Retry-After, as LINE sends it) and Twilio (429 with Retry-After: 2) refuse every request for 20 s from the launch',
      async () => {
        const until = Date.now() + 20_000;
        services.line.faults.add({ status: 429, times: 0, until });
        services.twilio.faults.add({ status: 429, times: 0, until, retryAfter: 2 });
      },
    );

    await run(
      'alert cancelled mid-send',
      'an admin cancels the alert (POST /v1/broadcasts/:id/cancel) once a third of its deliveries are sent, while email and SMS are going out',
      async (ctx) => {
        await ctx.untilSentShare(1 / 3);
        await ctx.cancel();
      },
    );

    await run(
      'email provider down',
      'SendGrid (the primary) answers 500 to every request for 30 s, from the moment a third of the emails are accepted; ' +
        'SMTP is the secondary; failover after EMAIL_FAILOVER_THRESHOLD (3) failed requests, primary probed every 10 s',
      async (ctx) => {
        await ctx.untilSentShare(1 / 3, 'email');
        services.sendgrid.faults.add({ status: 500, times: 0, until: Date.now() + 30_000 });
      },
    );
  } finally {
    await conn.db.end().catch(() => undefined);
    await services.stop();
    await api.stop();
  }
  const report = markdown(employees, outcomes);
  const dir = path.join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'faults-latest.md'), report);
  writeFileSync(path.join(dir, 'faults-latest.json'), JSON.stringify({ date: new Date().toISOString(), employees, outcomes }, null, 2) + '\n');
  console.log(report);
  if (outcomes.some((o) => o.checks.some((c) => !c.ok))) process.exit(1);
}

interface RunContext {
  broadcastId: string;
  untilSentShare(share: number, channel?: 'email'): Promise<void>;
  answerAll(): Promise<void>;
  cancel(): Promise<void>;
}

async function runFault(
  api: Service,
  env: Record<string, string>,
  services: DeliveryServices,
  conn: { db: pg.Client },
  token: string,
  fault: string,
  how: string,
  inject: (ctx: RunContext) => Promise<void>,
): Promise<Outcome> {
  console.log(`fault: ${fault}…`);
  const q = <R extends pg.QueryResultRow>(text: string, values: unknown[]) => conn.db.query<R>(text, values);
  const deadlocksBefore = await deadlocks(conn.db);
  const marks = {
    line: services.line.multicasts.length,
    email: services.smtp.received.length,
    sendgrid: services.sendgrid.emails.length,
    sms: services.twilio.messages.length,
  };
  const started = performance.now();
  const { id } = await json<{ id: string }>(
    await fetch(`${api.url}/v1/broadcasts`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ templateId: 'preset:earthquake', targets: { all: true } }),
    }),
  );
  let answered = { accepted: 0, unavailable: 0, retryAfterSeen: false };
  let cancelled: { status: number; ms: number } | null = null;
  const ctx: RunContext = {
    broadcastId: id,
    async untilSentShare(share, channel) {
      // Of all the alert's deliveries (or one channel's): LINE's exist first, the other channels' a moment later.
      for (;;) {
        const { rows } = await q<{ sent: number; total: number; ready: boolean }>(
          `SELECT count(*) FILTER (WHERE state = 'sent')::int AS sent, count(*)::int AS total, (SELECT deliveries_ready_at ` +
            `IS NOT NULL FROM broadcasts WHERE id = $1) AS ready FROM deliveries WHERE broadcast_id = $1` +
            (channel ? ` AND channel = '${channel}'` : ''),
          [id],
        );
        if (rows[0]!.ready && rows[0]!.total > 0 && rows[0]!.sent >= rows[0]!.total * share) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async answerAll() {
      answered = await answerEveryone(api, env, conn.db, id);
    },
    async cancel() {
      const at = performance.now();
      const res = await fetch(`${api.url}/v1/broadcasts/${id}/cancel`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
      cancelled = { status: res.status, ms: Math.round(performance.now() - at) };
    },
  };
  await inject(ctx);
  // Done: every delivery created and none pending, i.e. the broadcast completed (retries after a
  // fault can take a while).
  // A cancelled one: none pending, and no send job still recording what went out (counts steady for 2 s).
  const deadline = Date.now() + 10 * 60_000;
  for (let last = '', steady = 0; ;) {
    const { rows } = await q<{ pending: number; states: string }>(
      `SELECT coalesce(sum(n) FILTER (WHERE state = 'pending'), 0)::int AS pending, string_agg(state || ' ' || n, ', ' ORDER BY state) AS states ` +
        `FROM (SELECT state::text, count(*) AS n FROM deliveries WHERE broadcast_id = $1 GROUP BY 1) s`,
      [id],
    );
    const { rows: b } = await q<{ status: string }>('SELECT status FROM broadcasts WHERE id = $1', [id]);
    if (rows[0]!.pending === 0 && b[0]!.status === 'completed') break;
    steady = rows[0]!.states === last ? steady + 1 : 0;
    last = rows[0]!.states;
    if (cancelled && rows[0]!.pending === 0 && b[0]!.status === 'cancelled' && steady >= 10) break;
    if (Date.now() > deadline) throw new Error(`${fault}: deliveries still pending after 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const counts = await q<{ channel: string; state: string; n: number }>(
    `SELECT channel::text, state::text, count(*)::int AS n FROM deliveries WHERE broadcast_id = $1 GROUP BY 1, 2`,
    [id],
  );
  const deliveries: Record<string, Record<string, number>> = {};
  for (const r of counts.rows) (deliveries[r.channel] ??= {})[r.state] = r.n;

  const checks: Outcome['checks'] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const lineUsers = (
    await q<{ u: string }>(
      `SELECT r.line_user_id AS u FROM deliveries d JOIN recipients r ON r.id = d.recipient_id WHERE d.broadcast_id = ` +
        `$1 AND d.channel = 'line' AND d.state = 'sent'`,
      [id],
    )
  ).rows.map((r) => r.u);
  const perUser = new Map<string, number>();
  for (const m of services.line.multicasts.slice(marks.line)) for (const to of m.to) perUser.set(to, (perUser.get(to) ?? 0) + 1);
  const twice = [...perUser.values()].filter((n) => n > 1).length;
  check(
    'LINE: every linked recipient exactly one accepted message',
    lineUsers.every((u) => perUser.get(u) === 1) && twice === 0,
    `${lineUsers.length} sent, ${perUser.size} users reached, ${twice} reached twice`,
  );
  const bound = SEND_CONCURRENCY * MESSAGES_IN_FLIGHT;
  // Email: a lost answer repeats at most one SendGrid request (or one SMTP group) per send job in flight.
  const emailBound = SEND_CONCURRENCY * Math.max(EMAIL.batchSize, MESSAGES_IN_FLIGHT);
  const viaSendgrid = services.sendgrid.emails.slice(marks.sendgrid).map((m) => m.to[0]!);
  const viaSmtp = services.smtp.received.slice(marks.email).map((m) => m.to[0]!);
  const emails = [...viaSendgrid, ...viaSmtp];
  const sms = services.twilio.messages.slice(marks.sms).map((m) => m.to);
  const emailRepeats = emails.length - new Set(emails).size;
  const smsRepeats = sms.length - new Set(sms).size;
  check(
    `email/SMS repeats within the in-flight bound (email ${emailBound}, SMS ${bound})`,
    emailRepeats <= emailBound && smsRepeats <= bound,
    `email ${emailRepeats} repeated (${viaSendgrid.length} through SendGrid, ${viaSmtp.length} through SMTP), SMS ${smsRepeats} repeated`,
  );
  const emailSent = await q<{ n: number; addresses: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT r.emails[d.contact_index + 1])::int AS addresses FROM deliveries d ` +
      `JOIN recipients r ON r.id = d.recipient_id WHERE d.broadcast_id = $1 AND d.channel = 'email' AND d.state = 'sent'`,
    [id],
  );
  const reachedAddresses = new Set(emails);
  check(
    'email: every sent delivery reached its address',
    emailSent.rows[0]!.addresses === reachedAddresses.size,
    `${emailSent.rows[0]!.n} sent deliveries to ${emailSent.rows[0]!.addresses} addresses, ${reachedAddresses.size} addresses reached`,
  );
  if (fault === 'email provider down') {
    const providers = await q<{ provider: string; n: number }>(
      `SELECT coalesce(email_provider, '-') AS provider, count(*)::int AS n FROM deliveries WHERE broadcast_id = $1 AND channel = 'email' ` +
        `AND state = 'sent' GROUP BY 1 ORDER BY 1`,
      [id],
    );
    const { rows: notes } = await q<{ notes: { kind: string }[] }>('SELECT email_provider_notes AS notes FROM broadcasts WHERE id = $1', [id]);
    const by = Object.fromEntries(providers.rows.map((r) => [r.provider, r.n]));
    check(
      'email failed over to the secondary, and the broadcast notes it',
      (by.smtp ?? 0) > 0 && notes[0]!.notes.some((n) => n.kind === 'failover'),
      `${by.sendgrid ?? 0} through SendGrid, ${by.smtp ?? 0} through SMTP; notes: ${notes[0]!.notes.map((n) => n.kind).join(', ') || 'none'}`,
    );
  }
  const open = await q<{ n: number; unexplained: number }>(
    `SELECT count(*) FILTER (WHERE state = 'pending')::int AS n, count(*) FILTER (WHERE state IN ('failed', 'skipped') ` +
      `AND coalesce(error, '') = '')::int AS unexplained FROM deliveries WHERE broadcast_id = $1`,
    [id],
  );
  check(
    'every delivery sent, or failed/skipped with a reason',
    open.rows[0]!.n === 0 && open.rows[0]!.unexplained === 0,
    `${open.rows[0]!.n} pending, ${open.rows[0]!.unexplained} without a reason`,
  );
  const ledger = await q<{ entries: number; sent: number }>(
    `SELECT (SELECT count(*)::int FROM usage_ledger WHERE broadcast_id = $1) AS entries, (SELECT count(*)::int FROM ` +
      `deliveries WHERE broadcast_id = $1 AND state = 'sent') AS sent`,
    [id],
  );
  check(
    'usage ledger = sent deliveries',
    ledger.rows[0]!.entries === ledger.rows[0]!.sent,
    `${ledger.rows[0]!.entries} ledger rows, ${ledger.rows[0]!.sent} sent`,
  );
  // Counted by PostgreSQL for this database (reset if the server was restarted without saving them).
  const deadlocksAfter = await deadlocks(conn.db);
  const deadlocked = deadlocksAfter >= deadlocksBefore ? deadlocksAfter - deadlocksBefore : deadlocksAfter;
  check('no deadlock in PostgreSQL', deadlocked === 0, `${deadlocked} deadlocks (pg_stat_database)`);
  if (cancelled) {
    const c: { status: number; ms: number } = cancelled;
    const sms = await q<{ n: number }>(
      `SELECT count(DISTINCT r.mobiles[d.contact_index + 1])::int AS n FROM deliveries d JOIN recipients r ON r.id = d.recipient_id ` +
        `WHERE d.broadcast_id = $1 AND d.channel = 'sms' AND d.state = 'sent'`,
      [id],
    );
    const smsReached = new Set(services.twilio.messages.slice(marks.sms).map((m) => m.to));
    check(
      'the cancel answered, and stopped what had not gone out',
      c.status === 200 && Object.values(deliveries).some((states) => (states.cancelled ?? 0) > 0),
      `answered ${c.status} in ${c.ms} ms; cancelled ${Object.entries(deliveries)
        .map(([channel, states]) => `${channel} ${states.cancelled ?? 0}`)
        .join(', ')}`,
    );
    check(
      'SMS: every number the provider accepted is a delivery recorded sent',
      sms.rows[0]!.n === smsReached.size,
      `${sms.rows[0]!.n} numbers with a sent delivery, ${smsReached.size} numbers reached`,
    );
  }
  if (answered.accepted > 0) {
    const stored = await q<{ answered: number; answers: number; recipients: number }>(
      `SELECT count(*) FILTER (WHERE answered_at IS NOT NULL)::int AS answered, (SELECT count(DISTINCT recipient_id)::int ` +
        `FROM answers WHERE broadcast_id = $1) AS answers, count(*)::int AS recipients FROM recipients WHERE broadcast_id ` +
        `= $1`,
      [id],
    );
    const s = stored.rows[0]!;
    check(
      'every answer accepted after retries, stored once, none half-written',
      s.answered === s.recipients && s.answers === s.recipients && answered.accepted === s.recipients,
      `${answered.accepted} accepted, ${s.answered} recipients answered, ${s.answers} with an answer row, of ${s.recipients}`,
    );
    check(
      'answers during the outage got 503 with Retry-After',
      answered.unavailable > 0 && answered.retryAfterSeen,
      `${answered.unavailable} answered 503${answered.retryAfterSeen ? ' with Retry-After' : ''}`,
    );
  }
  for (const c of checks) console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
  return { fault, how, seconds, deliveries, checks };
}

const ANSWERS_SPREAD_MS = 20_000;

/** Every recipient answers once through the answer page; a 503 is retried after its Retry-After. */
async function answerEveryone(
  api: Service,
  env: Record<string, string>,
  db: pg.Client,
  broadcastId: string,
): Promise<{ accepted: number; unavailable: number; retryAfterSeen: boolean }> {
  const links = await signedAnswerLinks(db, env, broadcastId);
  let next = 0;
  const result = { accepted: 0, unavailable: 0, retryAfterSeen: false };
  // Spread over ANSWERS_SPREAD_MS, so the outage always lands among arriving answers: on a fast
  // machine 1,000 answers sent as fast as they go were all in before PostgreSQL stopped.
  const started = Date.now();
  const notBefore = (i: number) => new Promise((resolve) => setTimeout(resolve, started + (i * ANSWERS_SPREAD_MS) / links.length - Date.now()));
  const one = async (link: string) => {
    const key = randomUUID();
    for (let attempt = 0; attempt < 200; attempt++) {
      let status: number;
      let retryAfter: string | null = null;
      try {
        const res = await fetch(`${api.url}${link}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: `q.self=safe&q.family=all_safe&q.home=no_damage&q.work=yes&k=${key}`,
        });
        await res.arrayBuffer();
        status = res.status;
        retryAfter = res.headers.get('retry-after');
      } catch {
        status = 0; // connection refused: the api itself is fine here, so this does not happen
      }
      if (status === 200) return void result.accepted++;
      if (status === 503) {
        result.unavailable++;
        if (retryAfter) result.retryAfterSeen = true;
      }
      await new Promise((resolve) => setTimeout(resolve, (Number(retryAfter) || 1) * 1000));
    }
    throw new Error(`an answer was never accepted: ${link.slice(0, 12)}…`);
  };
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < links.length) {
        const i = next++;
        await notBefore(i);
        await one(links[i]!);
      }
    }),
  );
  return result;
}

async function seed(api: Service, env: Record<string, string>, employees: number, db: pg.Client): Promise<string> {
  const platform = { Authorization: `Bearer ${env.PLATFORM_API_KEY}`, 'Content-Type': 'application/json' };
  const tenant = await json<{ id: string }>(
    await fetch(`${api.url}/v1/tenants`, { method: 'POST', headers: platform, body: JSON.stringify({ slug: 'faults', name: '障害試験株式会社' }) }),
  );
  const password = 'faults-password-123';
  await json(
    await fetch(`${api.url}/v1/tenants/${tenant.id}/admins`, {
      method: 'POST',
      headers: platform,
      body: JSON.stringify({ email: 'admin@faults.example', name: '管理者', password }),
    }),
  );
  const { accessToken } = await json<{ accessToken: string }>(
    await fetch(`${api.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ tenant: 'faults', email: 'admin@faults.example', password }),
    }),
  );
  const codes = await createDepartments(api, accessToken, 50);
  const file = path.join(tmpdir(), `anpi-faults-${process.pid}.csv`);
  await writeCsv(file, employees, codes);
  await json(
    await fetch(`${api.url}/v1/employees/import`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'text/csv' },
      body: readFileSync(file),
    }),
  );
  await db.query(
    `UPDATE employees e SET line_user_id = 'U' || lpad(to_hex(n.i), 32, '0'), line_status = 'linked', line_linked_at = now(), line_channel_key = 'platform'
     FROM (SELECT id, row_number() OVER (ORDER BY code) AS i FROM employees WHERE tenant_id = $1) n
     WHERE e.id = n.id AND n.i % 10 < 7`,
    [tenant.id],
  );
  return accessToken;
}

/** Restarts the local Redis keeping its data, as a Redis with persistence comes back. */
function restartRedis(): void {
  const cli = (...args: string[]) => execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', ...args], { encoding: 'utf8' }).trim();
  const dir = cli('CONFIG', 'GET', 'dir').split('\n')[1]!;
  const file = cli('CONFIG', 'GET', 'dbfilename').split('\n')[1]!;
  spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'SHUTDOWN', 'SAVE']);
  execFileSync('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '--port',
    '6379',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--dbfilename',
    file,
  ]);
  for (let i = 0; i < 50; i++) {
    if (spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG') return;
    spawnSync('sleep', ['0.1']);
  }
  throw new Error('Redis did not come back');
}

function postgres(action: 'stop' | 'start'): void {
  const version = readdirSync('/etc/postgresql')[0]!;
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action], { stdio: 'inherit' });
}

async function waitForPostgres(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error('PostgreSQL did not come back');
}

async function reconnect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Deadlocks PostgreSQL has detected in this database (a cancel and the send jobs recording once did). */
async function deadlocks(db: pg.Client): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()');
  return rows[0]!.n;
}

const STATES = ['sent', 'failed', 'skipped', 'cancelled', 'pending'];

function markdown(employees: number, outcomes: Outcome[]): string {
  return `# anpi faults under load — ${new Date().toISOString()}

One alert to ${employees.toLocaleString('en')} employees per fault (70% LINE-linked, all with an email, half with a mobile):
a production api and worker process, the LINE, Twilio and SendGrid stand-ins and an SMTP sink, PostgreSQL and Redis on this machine.
Email: SendGrid first (requests of ${EMAIL.batchSize} personalizations, ${EMAIL.requestsPerSecond} a second), SMTP as the secondary.

${outcomes
  .map(
    (o) => `## ${o.fault}

How: ${o.how}. Done after ${o.seconds} s.

| channel | ${STATES.join(' | ')} |
| --- | --- | --- | --- | --- | --- |
${Object.entries(o.deliveries)
  .map(([channel, states]) => `| ${channel} | ${STATES.map((s) => states[s] ?? 0).join(' | ')} |`)
  .join('\n')}

${o.checks.map((c) => `- ${c.ok ? 'ok' : '**FAILED**'} — ${c.name}: ${c.detail}`).join('\n')}
`,
  )
  .join('\n')}`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
