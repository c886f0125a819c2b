import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort, waitUntilReady } from '#anpi/processes';
import { LineStandIn, SmtpSink, TwilioStandIn } from '#anpi/stand-ins';
import { finalStage, type ImageStage } from './production/dockerfile.js';

/**
 * `npm run check:production`: the Dockerfile's steps without a container (images cannot be built
 * on these machines). A clean copy of the tree is built with every dependency, then reinstalled
 * with production dependencies only; the image's final stage is assembled from its COPY lines;
 * migrations run with the image's command; the api and the worker start with it, answer /readyz,
 * send a small alert end to end (LINE, email, SMS stand-ins), take an answer, and stop on SIGTERM.
 * A production dependency left in devDependencies, or a file the image forgets, fails here.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(tmpdir(), 'anpi-production-'));
const keep = process.argv.includes('--keep');
let passed = false;

async function main(): Promise<void> {
  const stage = finalStage(readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
  const source = path.join(work, 'source');
  step(`Clean copy of the tree in ${source}`);
  copyTree(root, source);

  step('Build stage: npm ci, npm run build');
  run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], source);
  run('npm', ['run', 'build'], source);
  step('Dependencies stage: npm ci --omit=dev');
  rmSync(path.join(source, 'node_modules'), { recursive: true, force: true });
  run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], source);

  const image = path.join(work, 'image');
  step(`Final stage: ${stage.copies.length} COPY lines into ${image}`);
  for (const copy of stage.copies) {
    for (const from of copy.sources) {
      const target =
        copy.sources.length > 1 || copy.destination.endsWith('/')
          ? path.join(image, copy.destination, path.basename(from))
          : path.join(image, copy.destination);
      if (!existsSync(path.join(source, from))) throw new Error(`the Dockerfile copies ${from}, which the build does not produce`);
      mkdirSync(path.dirname(target), { recursive: true });
      cpSync(path.join(source, from), target, { recursive: true });
    }
  }

  const [line, twilio, smtp] = await Promise.all([LineStandIn.start(), TwilioStandIn.start({ [TWILIO.sid]: TWILIO.token }), SmtpSink.start()]);
  const database = `anpi_production_check_${process.pid}`;
  const env = await environment(stage, database, { line, twilio, smtp });
  const children: ChildProcess[] = [];
  try {
    await createDatabase(database);
    step('migrate (the image command), twice: the second finds nothing to do');
    for (let i = 0; i < 2; i++) run(process.execPath, ['scripts/anpi.mjs', 'migrate'], image, env);

    step('api and worker (the image commands)');
    const api = start('api', image, env);
    const worker = start('worker', image, env);
    children.push(api, worker);
    const apiUrl = `http://127.0.0.1:${env.PORT}`;
    await waitUntilReady(`${apiUrl}/readyz`, api, { name: 'the api', timeoutMs: 60_000 });
    await waitUntilReady(`http://127.0.0.1:${env.WORKER_PORT}/readyz`, worker, { name: 'the worker', timeoutMs: 60_000 });
    for (const port of [env.PORT, env.WORKER_PORT])
      run(process.execPath, ['scripts/anpi.mjs', 'healthcheck'], image, { ...env, PORT: port, WORKER_PORT: port });
    console.log('  both answer /readyz; the HEALTHCHECK command agrees');

    await smallAlert(apiUrl, env, { line, twilio, smtp }, database);

    step('SIGTERM');
    for (const child of [worker, api]) await stopCleanly(child);
    console.log('  both stopped cleanly');
    console.log('\nproduction check passed');
    passed = true;
  } finally {
    children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL'));
    await Promise.all([line.close(), twilio.close(), smtp.close()]);
    await dropDatabase(database);
    if (passed && !keep) rmSync(work, { recursive: true, force: true });
  }
}

const TWILIO = { sid: `AC${'0f1e'.repeat(8)}`, token: 'production-check-twilio-token', from: '+15005550006' };

async function environment(
  stage: ImageStage,
  database: string,
  providers: { line: LineStandIn; twilio: TwilioStandIn; smtp: SmtpSink },
): Promise<Record<string, string>> {
  const [port, workerPort] = [await freePort(), await freePort()];
  const { PATH, HOME } = process.env;
  return {
    ...(PATH ? { PATH } : {}),
    ...(HOME ? { HOME } : {}),
    // The image's ENV lines, then what an operator sets (docs/configuration.md).
    ...stage.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    WORKER_PORT: String(workerPort),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${database}`,
    DATABASE_APP_PASSWORD: randomBytes(12).toString('base64url'),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `anpi-production-check-${process.pid}`,
    PLATFORM_API_KEY: randomBytes(24).toString('base64url'),
    JWT_SECRET: randomBytes(32).toString('base64url'),
    ANPI_SECRETS_KEY: `p:${randomBytes(32).toString('base64')}`,
    ANSWER_TOKEN_KEYS: `p:${randomBytes(32).toString('base64url')}`,
    METRICS_TOKEN: randomBytes(24).toString('base64url'),
    JMA_POLL_SECONDS: '0',
    LINE_API_BASE_URL: providers.line.url,
    LINE_CHANNEL_ID: '3000000001',
    LINE_CHANNEL_ACCESS_TOKEN: 'production-check-line-token',
    LINE_CHANNEL_SECRET: 'production-check-line-secret',
    LINE_BASIC_ID: '@anpi-check',
    LINE_ACCOUNT_LINK_URL: providers.line.accountLinkUrl,
    LINE_HEAD_START_MS: '0',
    TWILIO_API_BASE_URL: providers.twilio.url,
    TWILIO_ACCOUNT_SID: TWILIO.sid,
    TWILIO_AUTH_TOKEN: TWILIO.token,
    TWILIO_FROM: TWILIO.from,
    SMTP_URL: providers.smtp.url,
  };
}

/** A tenant, two employees (one on LINE), an alert on LINE, email and SMS, one answer, the tally, the metrics. */
async function smallAlert(api: string, env: Record<string, string>, providers: { line: LineStandIn; twilio: TwilioStandIn; smtp: SmtpSink }, database: string) {
  step('A small alert end to end');
  const platform = { Authorization: `Bearer ${env.PLATFORM_API_KEY}` };
  const tenant = await call<{ id: string; slug: string }>(api, 'POST', '/v1/tenants', platform, { slug: 'production-check', name: '本番確認株式会社' }, 201);
  const password = randomBytes(12).toString('base64url');
  await call(api, 'POST', `/v1/tenants/${tenant.id}/admins`, platform, { email: 'admin@example.co.jp', name: '人事 太郎', password }, 201);
  const { accessToken } = await call<{ accessToken: string }>(
    api,
    'POST',
    '/v1/auth/login',
    {},
    { tenant: tenant.slug, email: 'admin@example.co.jp', password },
    200,
  );
  const admin = { Authorization: `Bearer ${accessToken}` };
  const employees = [
    { code: 'P1', name: '本番 一郎', emails: ['p1@example.jp'], mobiles: ['090-1000-0001'] },
    { code: 'P2', name: '本番 二郎', emails: ['p2@example.jp'], mobiles: ['090-1000-0002'] },
  ];
  const ids = [];
  for (const e of employees) ids.push((await call<{ id: string }>(api, 'POST', '/v1/employees', admin, e, 201)).id);
  await owner(database, `UPDATE employees SET line_user_id = $2, line_status = 'linked', line_linked_at = now(), line_channel_key = 'platform' WHERE id = $1`, [
    ids[0],
    `U${'c'.repeat(32)}`,
  ]);
  const launched = await call<{ id: string }>(
    api,
    'POST',
    '/v1/broadcasts',
    admin,
    { templateId: 'preset:earthquake', channels: ['line', 'email', 'sms'], targets: { all: true } },
    202,
  );
  const done = await until(async () => {
    const b = await call<{ status: string; counts: Record<string, { sent: number }> }>(api, 'GET', `/v1/broadcasts/${launched.id}`, admin, undefined, 200);
    return b.status === 'completed' ? b : null;
  }, 'the alert to complete');
  const sent = { line: done.counts.line?.sent, email: done.counts.email?.sent, sms: done.counts.sms?.sent };
  const received = {
    line: providers.line.multicasts.reduce((n, m) => n + m.to.length, 0),
    email: providers.smtp.received.length,
    sms: providers.twilio.messages.length,
  };
  console.log(`  sent ${JSON.stringify(sent)}; the stand-ins received ${JSON.stringify(received)}`);
  if (JSON.stringify(sent) !== JSON.stringify({ line: 1, email: 2, sms: 2 }) || JSON.stringify(received) !== JSON.stringify(sent)) {
    throw new Error('the alert did not reach everyone exactly once');
  }

  const link = /https?:\/\/\S+\/a\/[A-Za-z0-9_-]+/.exec(providers.smtp.received[0]!.text)?.[0];
  if (!link) throw new Error('no answer link in the email');
  const page = await fetch(link);
  const html = await page.text();
  const key = /name="k" value="([^"]+)"/.exec(html)?.[1];
  if (page.status !== 200 || !key) throw new Error(`the answer page answered ${page.status}`);
  for (const header of ['content-security-policy', 'x-frame-options', 'strict-transport-security', 'referrer-policy']) {
    if (!page.headers.get(header)) throw new Error(`the answer page has no ${header} header`);
  }
  const form = new URLSearchParams({ 'q.self': 'safe', 'q.family': 'all_safe', 'q.home': 'no_damage', 'q.work': 'yes', k: key });
  const answered = await fetch(link, { method: 'POST', body: form });
  if (answered.status !== 200) throw new Error(`answering answered ${answered.status}`);
  const tally = await until(async () => {
    const t = await call<{ total: { answered: number; targeted: number } }>(api, 'GET', `/v1/broadcasts/${launched.id}/tally`, admin, undefined, 200);
    return t.total.answered === 1 ? t : null;
  }, 'the tally to count the answer');
  console.log(`  answered through the page; the tally shows ${tally.total.answered}/${tally.total.targeted}`);

  let metricsSent = 0;
  for (const port of [env.PORT, env.WORKER_PORT]) {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: `Bearer ${env.METRICS_TOKEN}` } });
    if (res.status !== 200) throw new Error(`/metrics on ${port} answered ${res.status}`);
    for (const m of (await res.text()).matchAll(/^anpi_deliveries_total\{[^}]*state="sent"[^}]*\} (\d+)$/gm)) metricsSent += Number(m[1]);
  }
  if (metricsSent !== 5) throw new Error(`the metrics count ${metricsSent} deliveries sent, not 5`);
  console.log('  /metrics on both processes; anpi_deliveries_total{state="sent"} adds up to 5');
}

async function call<T = unknown>(api: string, method: string, route: string, headers: Record<string, string>, body: unknown, expected: number): Promise<T> {
  const res = await fetch(`${api}${route}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== expected) throw new Error(`${method} ${route} answered ${res.status}, expected ${expected}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function until<T>(check: () => Promise<T | null>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function start(command: string, cwd: string, env: Record<string, string>): ChildProcess {
  const log = path.join(work, `${command}.log`);
  const child = spawn(process.execPath, ['scripts/anpi.mjs', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = createWriteStream(log);
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[${command}] ${chunk}`));
  return child;
}

/** SIGTERM: the process finishes what it runs, closes its connections and exits by itself within 30 s. */
async function stopCleanly(child: ChildProcess): Promise<void> {
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 30_000).unref());
  const result = await Promise.race([exited, timeout]);
  if (result === 'timeout') throw new Error(`${child.spawnargs.join(' ')} did not stop within 30 s of SIGTERM`);
  // Nest re-raises the signal after its shutdown hooks have run: exit by SIGTERM (or code 0) is clean.
  if (!(result.code === 0 || result.signal === 'SIGTERM')) throw new Error(`${child.spawnargs.join(' ')} exited with ${JSON.stringify(result)} on SIGTERM`);
}

/** The files git would commit (tracked, and new ones not ignored): what a clean clone holds. */
function copyTree(from: string, to: string): void {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: from, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (!existsSync(path.join(from, file))) continue; // deleted in the work tree
    mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    copyFileSync(path.join(from, file), path.join(to, file));
  }
}

function run(command: string, args: string[], cwd: string, env: Record<string, string | undefined> = process.env): void {
  const result = spawnSync(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit code ${result.status ?? result.signal})`);
}

async function owner<R extends pg.QueryResultRow>(database: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
  const client = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:5432/${database}` });
  await client.connect();
  try {
    return await client.query<R>(sql, params);
  } finally {
    await client.end();
  }
}

async function createDatabase(database: string): Promise<void> {
  await dropDatabase(database);
  await owner('postgres', `CREATE DATABASE ${database}`);
}

async function dropDatabase(database: string): Promise<void> {
  await owner('postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}

function step(text: string): void {
  console.log(`\n▶ ${text}`);
}

main().catch((error: unknown) => {
  console.error(`\nproduction check failed: ${error instanceof Error ? error.message : String(error)}`);
  console.error(`logs of the api and the worker: ${work} (kept)`);
  process.exit(1);
});
