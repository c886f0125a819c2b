import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type AppConfig } from '#anpi/config';
import { ProcessNotReady, waitUntilReady } from '#anpi/processes';
import { DEMO_HEAD_DEPARTMENT, DEMO_PASSWORD, DEMO_TENANT, DEMO_USERS, DEPARTMENTS, EMPLOYEES } from './demo/company.js';
import { runDrill, type DrillResult } from './demo/drill.js';
import { PreflightError, prepareServices } from './demo/preflight.js';
import { guideCommands, runGuideCommands } from './demo/guide.js';
import { startOutbox } from './demo/outbox.js';
import { DEMO_LINEWORKS, demoLineChannel, demoLineFollow, startDemoProviders, type DemoProviders } from './demo/providers.js';
import { seedDemo } from './demo/seed.js';

/**
 * `npm run demo`: migrate, seed a demo company, start the api and the worker, print where to look.
 * `--smoke` logs in once, checks both processes are ready, and stops (used by the tests).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const smoke = process.argv.includes('--smoke');

// Demo-only keys: fixed so that secrets saved in one demo run still open in the next.
// Production sets its own (docs/configuration.md).
const DEMO_KEYS = {
  ANPI_SECRETS_KEY: `d:${createHash('sha256').update('anpi demo secrets key').digest('base64')}`,
  ANSWER_TOKEN_KEYS: `d:${createHash('sha256').update('anpi demo answer links').digest('hex')}`,
};

async function main(): Promise<void> {
  const base: Record<string, string | undefined> = {
    ...DEMO_KEYS,
    ...process.env,
    PLATFORM_API_KEY: process.env.PLATFORM_API_KEY ?? `demo-platform-${randomBytes(18).toString('base64url')}`,
    JWT_SECRET: process.env.JWT_SECRET ?? randomBytes(32).toString('base64url'),
    PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? `http://localhost:${process.env.PORT ?? 3000}`,
    // The demo never polls the real JMA feed; telegrams can be submitted by hand (POST /v1/platform/telegrams).
    JMA_POLL_SECONDS: process.env.JMA_POLL_SECONDS ?? '0',
  };
  const config = loadConfig(base);
  const appPassword = base.DATABASE_APP_PASSWORD ?? 'anpi_app';

  step('Checking PostgreSQL and Redis, applying migrations');
  await prepareServices(config, appPassword, root);

  step('Seeding the demo company');
  const seeded = await seedDemo(config);
  console.log(
    seeded.created
      ? `  created 「${DEMO_TENANT.name}」: ${DEPARTMENTS.length} departments, ${EMPLOYEES.length} employees, ${DEMO_USERS.length} users`
      : '  the demo company already exists; left as it is',
  );

  step('Starting the LINE, LINE WORKS and Twilio stand-ins and the mail sink');
  const providers = await startDemoProviders();
  const env = { ...base, ...providers.env };
  console.log(`  LINE ${providers.line.url}, Twilio ${providers.twilio.url}, email ${providers.mailpit ? 'Mailpit (http://localhost:8025)' : env.SMTP_URL}`);

  step('Starting the api and the worker');
  const logs = path.join(root, '.demo');
  mkdirSync(logs, { recursive: true });
  // The same heap bound as npm run start:api / start:worker (docs/adr/0007-dependency-pins.md).
  children.push(start('api', [HEAP, 'dist/apps/api/src/main.js'], env, logs), start('worker', [HEAP, 'dist/apps/worker/src/main.js'], env, logs));
  let outbox: { close(): Promise<void> } | null = null;
  const stop = async () => {
    if (stopping) return;
    await stopChildren();
    await Promise.all([providers.close(), outbox?.close()]);
    if (!smoke) console.log('\nanpi demo stopped: api, worker and stand-ins.  デモを終了しました。');
  };
  // Ctrl-C: a terminal signals the children too; they stop themselves, the demo waits for them.
  const stopAndExit = () => void stop().then(() => process.exit(process.exitCode ?? 0));
  process.on('SIGINT', stopAndExit);
  process.on('SIGTERM', stopAndExit);

  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  const api = `http://${host}:${config.port}`;
  const worker = `http://${host}:${config.workerPort}`;
  await Promise.all([
    waitUntilReady(`${api}/readyz`, children[0]!, { name: 'the api', timeoutMs: READY_TIMEOUT_MS }),
    waitUntilReady(`${worker}/readyz`, children[1]!, { name: 'the worker', timeoutMs: READY_TIMEOUT_MS }),
  ]);

  const admin = await login(api, DEMO_USERS[0].email);
  step("Connecting the company's own LINE WORKS bot (channel settings, as an admin would)");
  await connectLineWorks(api, admin);
  console.log(`  bot ${DEMO_LINEWORKS.botId}: messages go to each employee's email as their LINE WORKS login id`);

  step('Launching a drill (訓練) to the whole company');
  const drill = await runDrill(config, api, admin, seeded.tenantId);
  printDrill(drill, providers);

  step('A LINE user follows the account');
  const channel = demoLineChannel(providers, api);
  const linkPage = await demoLineFollow(providers, channel);
  console.log(
    linkPage
      ? `  it got a 「連携する」 button; open it to link with an employee code (e.g. E0001, code by email):\n    ${linkPage}`
      : '  no reply from the worker within 10 s (see .demo/worker.log)',
  );

  step('Opening the outbox: what each employee received');
  const box = await startOutbox(providers, channel, smoke ? 0 : Number(process.env.DEMO_OUTBOX_PORT ?? config.port + 2));
  outbox = box;
  console.log(`  ${box.url}  (answer as any employee from there)`);

  if (smoke) {
    await smokeTest(api, drill, providers);
    await smokeOutbox(box.url);
    await runGuideCommands(guideCommands(api, env.PLATFORM_API_KEY!), admin);
    console.log('  every command the guide prints answered 200');
    await stop();
    console.log('smoke test passed');
    return;
  }
  printGuide(config, api, worker, env.PLATFORM_API_KEY!, logs, box.url);
}

const HEAP = '--max-old-space-size=256';
/** A first start on a busy laptop (or beside a test run) can take a while; a user would rather wait than restart. */
const READY_TIMEOUT_MS = 60_000;
/** Set once the demo is stopping: the children exiting then (Ctrl-C reaches them too) is expected. */
let stopping = false;
/** The api and the worker, once started: stopped with the demo, whether it ends by Ctrl-C or by failing. */
const children: ChildProcess[] = [];

async function stopChildren(): Promise<void> {
  stopping = true;
  children.forEach((c) => c.kill('SIGTERM'));
  await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve(null) : c.once('exit', resolve)))));
}

function start(name: string, args: string[], env: Record<string, string | undefined>, logs: string): ChildProcess {
  const out = createWriteStream(path.join(logs, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk}`));
  child.on('exit', (code, signal) => {
    if (!stopping && code !== 0 && signal !== 'SIGINT' && signal !== 'SIGTERM') {
      console.error(`\n${name} stopped (${signal ? `signal ${signal}` : `exit code ${code}`}); its log is in .demo/${name}.log`);
      process.exitCode = 1;
    }
  });
  return child;
}

async function connectLineWorks(api: string, accessToken: string): Promise<void> {
  const res = await fetch(`${api}/v1/settings/channels`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ lineworks: DEMO_LINEWORKS }),
  });
  if (res.status !== 200) throw new Error(`saving the LINE WORKS settings answered ${res.status}: ${await res.text()}`);
}

async function login(api: string, email: string): Promise<string> {
  const res = await fetch(`${api}/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant: DEMO_TENANT.slug, email, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`demo login as ${email} answered ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

function printDrill(drill: DrillResult, providers: DemoProviders): void {
  const line = (c: Record<string, number> | undefined) => (c ? `${c.sent} sent, ${c.skipped} skipped, ${c.failed} failed` : '-');
  console.log(
    `  ${drill.recipients} recipients — LINE: ${line(drill.counts.line)}; LINE WORKS: ${line(drill.counts.lineworks)}; ` +
      `email: ${line(drill.counts.email)}; SMS: ${line(drill.counts.sms)}`,
  );
  const mail = providers.smtp ? `, the mail sink ${providers.smtp.received.length} emails` : '';
  console.log(`  the LINE stand-in accepted ${providers.line.multicasts.length} multicast(s), Twilio ${providers.twilio.messages.length} SMS${mail}`);
  console.log('  answer links (the first three were answered by the demo itself; open one to see the page):');
  for (const link of drill.links) console.log(`    ${link.name}: ${link.url}`);
  const t = drill.tally.total;
  console.log(
    `  tally: ${t.answered}/${t.targeted} answered (${Math.round(t.answerRate * 100)}%), ${t.opened} opened; 本人: ${JSON.stringify(t.questions.self ?? {})}`,
  );
  for (const d of drill.tally.departments.filter((x) => x.depth <= 2)) console.log(`    ${'  '.repeat(d.depth - 1)}${d.name}: ${d.answered}/${d.targeted}`);
}

/** What `--smoke` checks before stopping (the demo test runs it). */
async function smokeTest(api: string, drill: DrillResult, providers: DemoProviders): Promise<void> {
  const token = await login(api, DEMO_USERS[0].email);
  const users = await fetch(`${api}/v1/users`, { headers: { Authorization: `Bearer ${token}` } });
  const list = (await users.json()) as unknown[];
  if (users.status !== 200 || list.length !== DEMO_USERS.length) throw new Error(`demo users answered ${users.status} with ${list.length} users`);
  console.log(`  logged in as ${DEMO_USERS[0].email} and listed ${list.length} users`);

  const console_ = await fetch(`${api}/console/`);
  if (console_.status !== 200 || !(await console_.text()).includes('<div id="root">'))
    throw new Error(`the console answered ${console_.status}: run npm run build`);
  console.log(`  the console is served at ${api}/console/`);

  const head = DEMO_USERS.find((u) => u.role === 'department_head')!;
  const headToken = await login(api, head.email);
  const seen = (await (await fetch(`${api}/v1/employees?limit=500`, { headers: { Authorization: `Bearer ${headToken}` } })).json()) as { total: number };
  const expected = EMPLOYEES.filter((e) => e.departmentCode.startsWith(DEMO_HEAD_DEPARTMENT)).length;
  if (seen.total !== expected) throw new Error(`the department head saw ${seen.total} employees, expected ${expected}`);
  console.log(`  the department head of 営業部 sees its ${seen.total} employees only`);

  const linked = EMPLOYEES.filter((e) => e.lineUserId).length;
  const mobiles = EMPLOYEES.filter((e) => e.mobile).length;
  const problems = [
    drill.recipients !== EMPLOYEES.length && `recipients ${drill.recipients}`,
    drill.tally.total.answered !== 3 && `tally shows ${drill.tally.total.answered} answers`,
    drill.counts.line?.sent !== linked && `LINE sent ${drill.counts.line?.sent}`,
    drill.counts.email?.sent !== EMPLOYEES.length && `email sent ${drill.counts.email?.sent}`,
    drill.counts.sms?.sent !== mobiles && `SMS sent ${drill.counts.sms?.sent}`,
    drill.counts.lineworks?.sent !== EMPLOYEES.length && `LINE WORKS sent ${drill.counts.lineworks?.sent}`,
    providers.line.violations.length + providers.twilio.violations.length + providers.lineworks.violations.length > 0 &&
      'requests the official specs (or LINE WORKS documented rules) refuse',
  ].filter(Boolean);
  if (problems.length) throw new Error(`the drill went wrong: ${problems.join(', ')}`);
  console.log(
    `  the drill reached all ${drill.recipients} employees: ${linked} on LINE, ${EMPLOYEES.length} on LINE WORKS, ` +
      `${EMPLOYEES.length} by email, ${mobiles} by SMS`,
  );
}

/** The outbox lists the demo's answer links and LINE buttons. */
async function smokeOutbox(url: string): Promise<void> {
  const html = await (await fetch(url)).text();
  const links = html.match(/href="http:\/\/[^"]+\/a\/[A-Za-z0-9_-]{71}"/g) ?? [];
  if (links.length === 0 || !html.includes('無事です')) throw new Error('the outbox lists no answer links or no LINE buttons');
  console.log(`  the outbox lists ${links.length} answer links and LINE's buttons`);
}

function printGuide(config: AppConfig, api: string, worker: string, platformKey: string, logs: string, outbox: string): void {
  console.log(`
anpi demo is running.  安否確認デモが起動しました。

  Console (web)      ${api}/console/   log in with the company code and a login below
  API                ${api}
  API docs (OpenAPI) ${api}/docs        (JSON: ${api}/docs-json)
  Health             ${api}/healthz  ${api}/readyz
  Worker health      ${worker}/readyz
  Logs (JSON)        ${path.relative(process.cwd(), logs) || logs}/api.log, worker.log
  Outbox (demo only) ${outbox}   what each employee received; answer as any of them

Demo company: 「${DEMO_TENANT.name}」, company code (企業コード) "${DEMO_TENANT.slug}"
${DEMO_USERS.map((u) => `  ${u.role.padEnd(16)} ${u.email}${u.role === 'department_head' ? '  (sees 営業部 only)' : ''}`).join('\n')}
  password for all: ${DEMO_PASSWORD}

Try it (paste as printed; put the accessToken from the first answer where it says <accessToken>):
${guideCommands(api, platformKey)
  .map((c) => `  ${c.command}${c.note ? `     # ${c.note}` : ''}`)
  .join('\n')}

Platform operator key for this run: ${platformKey}
Database: ${new URL(config.databaseUrl).host}${new URL(config.databaseUrl).pathname}   Redis: ${new URL(config.redisUrl).host}
Press Ctrl-C to stop.`);
}

function step(text: string): void {
  console.log(`▶ ${text}`);
}

main().catch(async (error: unknown) => {
  if (error instanceof PreflightError || error instanceof ConfigError || error instanceof ProcessNotReady) {
    console.error(`\n${error.message}`);
  } else {
    console.error(`\nThe demo failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  // A failed demo leaves no api or worker running behind it (they would hold the ports the next try needs).
  await stopChildren();
  process.exit(1);
});
