import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answersScenario } from './answers-scenario.js';
import { baselinesScenario } from './baselines-scenario.js';
import { DashboardClient } from './dashboard-client.js';
import { fanoutScenario, startDeliveryServices } from './fanout-scenario.js';
import { createDepartments, importScenario } from './import-scenario.js';
import { launchScenario } from './launch-scenario.js';
import { tallyScenario } from './tally-scenario.js';
import { telegramScenario } from './telegram-scenario.js';
import { tapFloodScenario } from './tap-flood-scenario.js';
import { consoleScenario } from './console-scenario.js';
import { CpuAccounting } from './cpu-accounting.js';
import { pageViewsScenario } from './page-views-scenario.js';
import { INITIAL_JS_BUDGET_BYTES, measureConsole } from '../scripts/console-size.js';
import { JmaFeedStandIn } from '#anpi/stand-ins';
import { markdown } from './report.js';
import { NODE_FLAGS, freshDatabase, json, root, secrets, startService } from './support.js';

/**
 * `npm run bench [-- --employees 100000]`: starts a production build of the api on its own
 * database, seeds a tenant, runs the scenarios, and writes bench/results/<date>-<size>.json and
 * bench/results/latest.md. Each figure says how it was measured.
 */
async function main(): Promise<void> {
  const sizeArg = process.argv.indexOf('--employees');
  const employees = sizeArg > 0 ? Number(process.argv[sizeArg + 1]) : 10_000;
  const departments = 1_000;
  // One worker process per core, as production runs them (Node runs a process's JavaScript on one
  // core; BullMQ shares the queues between processes).
  const workersArg = process.argv.indexOf('--workers');
  const workers = workersArg > 0 ? Number(process.argv[workersArg + 1]) : os.cpus().length;
  // --email smtp: the SMTP path instead of SendGrid's API, for the two side by side.
  const emailArg = process.argv.indexOf('--email');
  const emailProvider = emailArg > 0 && process.argv[emailArg + 1] === 'smtp' ? 'smtp' : 'sendgrid';
  const databaseUrl = await freshDatabase('anpi_bench');
  const env: Record<string, string> = {
    ...secrets(),
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: `anpi-bench-${process.pid}`,
    // The platform's LINE channel: the api checks its webhooks' signatures (the tap flood).
    LINE_CHANNEL_SECRET: LINE_SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: LINE_ACCESS_TOKEN,
  };
  console.log('measuring baselines (BullMQ no-op jobs, batched PostgreSQL inserts)…');
  const baselines = await baselinesScenario(env);
  const api = await startService('api', env);
  try {
    const platform = { Authorization: `Bearer ${env.PLATFORM_API_KEY}`, 'Content-Type': 'application/json' };
    const tenant = await json<{ id: string; slug: string }>(
      await fetch(`${api.url}/v1/tenants`, { method: 'POST', headers: platform, body: JSON.stringify({ slug: 'bench', name: 'ベンチマーク株式会社' }) }),
    );
    const password = 'bench-password-123';
    await json(
      await fetch(`${api.url}/v1/tenants/${tenant.id}/admins`, {
        method: 'POST',
        headers: platform,
        body: JSON.stringify({ email: 'admin@bench.example', name: '管理者', password }),
      }),
    );
    const { accessToken } = await json<{ accessToken: string }>(
      await fetch(`${api.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ tenant: 'bench', email: 'admin@bench.example', password }),
      }),
    );
    // Access tokens live 15 minutes; the scenarios below are shorter.
    console.log(`creating ${departments} departments…`);
    const codes = await createDepartments(api, accessToken, departments);
    console.log(`importing ${employees} employees… (api resident memory before: ${api.rssMiB().toFixed(0)} MiB)`);
    const imported = await importScenario(api, accessToken, employees, codes);
    if (process.argv.includes('--fanout-only')) return await fanoutOnly(api, env, accessToken, tenant.id, baselines, workers, emailProvider);
    if (process.argv.includes('--answers-only')) return await answersOnly(api, env, accessToken, tenant.id, baselines, workers);
    console.log('timing launches…');
    const launch = await launchScenario(api, accessToken);
    console.log('fanning out one alert to everyone…');
    // The workers poll a JMA feed stand-in as production polls JMA's (the default interval).
    const feed = await JmaFeedStandIn.start();
    const pollSeconds = 20;
    const services = await startDeliveryServices(
      { ...env, JMA_FEED_BASE_URL: feed.url, JMA_POLL_SECONDS: String(pollSeconds) },
      {
        workers,
        email: { provider: emailProvider },
      },
    );
    // The answer page and the staff API on api processes of their own, as a load balancer routing
    // /a/… and /v1/… to separate pools would run them: a flood of answers then cannot make the
    // dashboards wait in the same event loop (docs/operations.md, "Scale-out").
    const staffApi = await startService('api', env);
    const dashboard = DashboardClient.start(staffApi.url);
    let fanout, pageViews, answers, tally, telegram, tapFlood, consoleTally;
    const cpu = new CpuAccounting(() => ({
      [api.child.pid!]: 'api (answer pool)',
      [staffApi.child.pid!]: 'api (staff pool)',
      ...Object.fromEntries(services.workers.map((w) => [w.child.pid!, 'workers'])),
    }));
    let cpuCost;
    try {
      const beforeFanout = cpu.snapshot();
      fanout = await fanoutScenario(api, env, accessToken, tenant.id, services);
      const fanoutCpu = CpuAccounting.between(beforeFanout, cpu.snapshot());
      console.log('opening every answer page at increasing concurrency…');
      const beforeViews = cpu.snapshot();
      pageViews = await pageViewsScenario(api, env, fanout.broadcastId);
      const viewsCpu = CpuAccounting.between(beforeViews, cpu.snapshot());
      console.log('answering at increasing concurrency…');
      const beforeAnswers = cpu.snapshot();
      answers = await answersScenario(api, env, accessToken, fanout.broadcastId, dashboard);
      const answersCpu = CpuAccounting.between(beforeAnswers, cpu.snapshot());
      const deliveries = Object.values(fanout.deliveries).reduce((a, b) => a + b, 0);
      cpuCost = {
        fanout: { cpuMs: fanoutCpu, deliveries, msPerDelivery: CpuAccounting.perUnit(fanoutCpu, deliveries) },
        answers: { cpuMs: answersCpu, answers: answers.accepted, msPerAnswer: CpuAccounting.perUnit(answersCpu, answers.accepted) },
        pageViews: { cpuMs: viewsCpu, views: pageViews.views, msPerView: CpuAccounting.perUnit(viewsCpu, pageViews.views) },
      };
      console.log(
        `CPU ms per delivery: ${JSON.stringify(cpuCost.fanout.msPerDelivery)}; per page view: ${JSON.stringify(cpuCost.pageViews.msPerView)}; ` +
          `per answer: ${JSON.stringify(cpuCost.answers.msPerAnswer)}`,
      );
      console.log('timing tallies…');
      tally = await tallyScenario(staffApi, env, accessToken, tenant.id, fanout.broadcastId, dashboard);
      console.log('opening the tally in the console (Chromium)…');
      consoleTally = await consoleScenario(staffApi.url, { tenant: 'bench', email: 'admin@bench.example', password }, fanout.broadcastId, tally.recipients);
      console.log('timing a JMA telegram to LINE…');
      telegram = await telegramScenario(api, env, accessToken, feed, pollSeconds, services.line);
      console.log('flooding the webhook with LINE taps beside the answer pages…');
      tapFlood = await tapFloodScenario(api, staffApi, env, accessToken, services.line, lineChannel(services, api), cpu);
    } finally {
      dashboard.close();
      await staffApi.stop();
      await services.stop();
      await feed.close();
    }

    // The console as npm run build left it: what a phone downloads before login and home work.
    const consoleSize = measureConsole();
    const targets = {
      importUnder60s: employees < 100_000 || imported.importSeconds < 60,
      importMemoryUnder400MiB: imported.apiPeakRssMiB < 400,
      launchP50Under100ms: launch.p50Ms < 100,
      lineWithin15s: employees < 100_000 || fanout.accepted.lineLast <= 15,
      emailWithin15s: employees < 100_000 || (fanout.accepted.emailLast ?? fanout.seconds.email ?? Infinity) <= 15,
      allChannelsWithin60s: employees < 100_000 || fanout.seconds.all! <= 60,
      workerUnder500MiB: fanout.workersPeakRssMiBTotal < 500,
      tallyP95Under50ms:
        tally.p95Ms < 50 && tally.deepP95Ms < 50 && !!answers.tallyDuring && answers.tallyDuring.p95Ms < 50 && answers.tallyDuring.deepP95Ms < 50,
      answers1500PerSecond: (answers.bestUnder200ms?.perSecond ?? 0) >= 1500,
      noAnswerLost: answers.lost === 0,
      telegramToLineWithinPollPlusFanout: telegram.secondsToLine <= telegram.pollSeconds + fanout.accepted.lineLast,
      lineAtLeast20PercentOfInserts: fanout.linePerSecond / baselines.postgresRowsPerSecond >= 0.2,
      allChannelsAtLeast50PercentOfBullmq: fanout.deliveriesPerSecond / baselines.bullmqJobsPerSecond >= 0.5,
      answersAtLeast5PercentOfInserts: (answers.best?.perSecond ?? 0) / baselines.postgresRowsPerSecond >= 0.05,
      pageViewsAtLeast5PercentOfInserts: (pageViews!.best?.perSecond ?? 0) / baselines.postgresRowsPerSecond >= 0.05,
      tallyUnder20msDuringUnder10msAfter:
        !!answers.tallyDuring && answers.tallyDuring.p95Ms < 20 && answers.tallyDuring.deepP95Ms < 10 && tally.p95Ms < 10 && tally.deepP95Ms < 10,
      tapFloodWebhookP99Under500ms: tapFlood.webhook.p99Ms < 500 && tapFlood.webhook.non200 === 0,
      tapFloodReplyP99Under20s: tapFlood.tapToReply.p99Ms < 20_000 && tapFlood.tapToReply.missing === 0,
      tapFloodNoPushFallback: tapFlood.pushFallbacks === 0,
      tapFloodSafeOnceInTally:
        tapFlood.safeRecorded === tapFlood.taps.safe && tapFlood.safeRecipients === tapFlood.taps.safe && tapFlood.safeInTally === tapFlood.taps.safe,
      consoleInitialJsUnder250KB: consoleSize.initialJsGzipBytes <= INITIAL_JS_BUDGET_BYTES,
      consoleTallyNoTaskOver500ms: consoleTally ? consoleTally.longestTaskMs < 500 : false,
    };
    const ratios = {
      lineOfInsertBaseline: Math.round((fanout.linePerSecond / baselines.postgresRowsPerSecond) * 1000) / 1000,
      fanoutOfBullmqBaseline: Math.round((fanout.deliveriesPerSecond / baselines.bullmqJobsPerSecond) * 1000) / 1000,
      emailOfBullmqBaseline: Math.round((fanout.emailPerSecond / baselines.bullmqJobsPerSecond) * 1000) / 1000,
      answersOfInsertBaseline: Math.round(((answers.best?.perSecond ?? 0) / baselines.postgresRowsPerSecond) * 1000) / 1000,
      pageViewsOfInsertBaseline: Math.round(((pageViews!.best?.perSecond ?? 0) / baselines.postgresRowsPerSecond) * 1000) / 1000,
    };
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 1024 ** 3), node: process.version },
      employees,
      departments,
      import: imported,
      launch,
      baselines,
      fanout,
      pageViews,
      answers,
      cpu: cpuCost,
      tally,
      telegram,
      tapFlood,
      console: { ...consoleSize, tally: consoleTally },
      ratios,
      targets,
      method: {
        processes: `api started as \`node ${NODE_FLAGS.api.join(' ')} dist/apps/api/src/main.js\`, as npm run start:api does`,
        tally:
          'GET /v1/broadcasts/:id/tally on the fanned-out broadcast after every recipient answered through the answer page: ' +
          'once with the cache entry removed (the aggregation runs in the request), then 100 reads after 3 warm-up ones for ' +
          'the company and for the deepest department, sent to the staff api process (see below) by a dashboard client in ' +
          'a process of its own (apart from the load generator, whose garbage collections after the answer load otherwise ' +
          'counted as latency); time until the whole body arrived, over loopback. "While answers flow": during every answer ' +
          'step the company tally and the deepest department’s were read in turn, one every 50 ms, from a second api process ' +
          '(the staff api: answers go to one api process, dashboards to another, as a load balancer routing /a/ and /v1/ ' +
          'to separate pools would; both on this machine); the rows above are those of the step with the highest rate whose ' +
          'answers kept p99 under 100 ms (past it the api is saturated and every request, answers included, waits in its ' +
          'queue — the answers table shows those steps too).',
        answers:
          'Every recipient answers once through POST /a/<token> (the full earthquake form, a distinct signed link each), ' +
          'driven by autocannon from the benchmark process over loopback at 10, 25, 50, 100 and 200 connections, the recipients ' +
          'split evenly over the steps; the api as in production, the worker running (tallies refresh). Rate = 200 responses ' +
          '/ wall time of the step (timed by the benchmark process); latency percentiles from autocannon. Lost = 200 responses ' +
          'minus recipients with an answer in the database afterwards.',
        baselines:
          'Before the api starts: 20,000 no-op BullMQ jobs added in bulk and processed by one worker (concurrency 50) on ' +
          'the same Redis; 200,000 rows inserted in batches of 1,000 (INSERT … SELECT generate_series) into a table created ' +
          'LIKE deliveries (same columns, defaults and indexes) in the same PostgreSQL. Fan-out deliveries/s read against ' +
          'the first, answers/s against the second.',
        fanout:
          'One alert (preset:earthquake) to every employee: 70% LINE-linked, all with an email, half with a mobile. Production ' +
          'worker processes, one per core unless --workers says otherwise (default SEND_CONCURRENCY_*, heap bounded as by ' +
          'npm run start:worker), deliver to the LINE, Twilio and SendGrid stand-ins (checking each request against the ' +
          'official specs), email through SendGrid’s Mail Send in requests of SENDGRID_BATCH_SIZE personalizations (or, with ' +
          '--email smtp, one message each to an in-process SMTP sink), all on this machine; provider rate limits raised ' +
          "above what the stand-ins need. Seconds run from the launch request: for a channel, until its stand-in accepted the channel's " +
          'last message (LINE multicast, SendGrid request or SMTP message, Twilio message); for all, until the broadcast completed ' +
          "(every delivery recorded, none pending; the clock reads the broadcast's row every 100 ms). Peak memory is each worker " +
          "process's VmHWM, and their sum.",
        telegram:
          'After the tally scenario, on the same tenant and workers: a rule (earthquake, 震度4 or more anywhere, everyone, no ' +
          "hold) is created; JMA's 震度速報 sample (VXSE51), dated now under a new EventID, is published on the feed stand-in the " +
          'production workers poll every JMA_POLL_SECONDS (the default, 20); the clock runs from the publication until the ' +
          "automatic broadcast's last LINE multicast is accepted by the stand-in. The alert is then cancelled. Target: within " +
          "one poll interval plus the fan-out scenario's LINE time (launch request to last multicast accepted).",
        console:
          "The built console's index.html: its entry script and the chunks it preloads, each gzipped (level 9) and summed; " +
          'the screens past Home are separate chunks loaded on demand and not counted. The tally screen: after the tally ' +
          "scenario, Debian's Chromium (390×844) logs in to the staff api's console and opens the fanned-out broadcast; " +
          'seconds from navigation until the page shows every recipient counted, then a click opens a collapsed ' +
          'department; main-thread tasks over 50 ms (PerformanceObserver longtask, from before the page ran) are reported ' +
          'as the longest and the total time over 50 ms (blocking). Not run where Chromium is missing.',
        launch:
          'POST /v1/broadcasts (preset:drill to the whole company), timed by the client over loopback, 20 launches after ' +
          '3 warm-up ones; the worker is not running, so each launch only stores the broadcast and queues its launch job, ' +
          'and is cancelled before the next.',
        import:
          'POST /v1/employees/import with a UTF-8 BOM CSV (社員番号, 氏名, フリガナ, 部署コード, メール, 携帯電話; half the rows with a mobile) ' +
          'to a production build of the api on its own database; wall time of each request measured by the client; dry run, ' +
          'then the real import (all rows created), then the same file again (all unchanged). Peak memory is the api process ' +
          'VmHWM from /proc after the three imports.',
      },
    };
    const dir = path.join(root, 'bench/results');
    mkdirSync(dir, { recursive: true });
    const stamp = result.date.slice(0, 10);
    writeFileSync(path.join(dir, `${stamp}-${employees}.json`), JSON.stringify(result, null, 2) + '\n');
    writeFileSync(path.join(dir, 'latest.md'), markdown(result));
    console.log(markdown(result));
  } finally {
    await api.stop();
  }
}

const LINE_SECRET = 'bench-line-channel-secret';
const LINE_ACCESS_TOKEN = 'bench-line-token';

/** The platform's LINE channel as the stand-in sends its webhooks (to the answer pool, where /line/webhook is served). */
function lineChannel(services: Awaited<ReturnType<typeof startDeliveryServices>>, api: Awaited<ReturnType<typeof startService>>) {
  return services.line.addChannel({ accessToken: LINE_ACCESS_TOKEN, secret: LINE_SECRET, webhookUrl: `${api.url}/line/webhook/platform` });
}

/**
 * `--fanout-only`: the fan-out and telegram-to-LINE scenarios alone, for A/B runs of a change to
 * the send path (bench/tmp/, not a result of record).
 */
async function fanoutOnly(
  api: Awaited<ReturnType<typeof startService>>,
  env: Record<string, string>,
  token: string,
  tenantId: string,
  baselines: Awaited<ReturnType<typeof baselinesScenario>>,
  workers: number,
  email: 'smtp' | 'sendgrid',
): Promise<void> {
  const feed = await JmaFeedStandIn.start();
  const pollSeconds = 20;
  const services = await startDeliveryServices(
    { ...env, JMA_FEED_BASE_URL: feed.url, JMA_POLL_SECONDS: String(pollSeconds) },
    { workers, email: { provider: email } },
  );
  try {
    const cpu = new CpuAccounting(() => ({ [api.child.pid!]: 'api', ...Object.fromEntries(services.workers.map((w) => [w.child.pid!, 'workers'])) }));
    const before = cpu.snapshot();
    const fanout = await fanoutScenario(api, env, token, tenantId, services);
    const cpuMs = CpuAccounting.between(before, cpu.snapshot());
    const deliveries = Object.values(fanout.deliveries).reduce((a, b) => a + b, 0);
    const telegram = await telegramScenario(api, env, token, feed, pollSeconds, services.line);
    const tapFlood = process.argv.includes('--tap-flood') ? await tapFloodScenario(api, api, env, token, services.line, lineChannel(services, api), cpu) : null;
    const result = {
      date: new Date().toISOString(),
      baselines,
      fanout,
      telegram,
      tapFlood,
      msPerDelivery: CpuAccounting.perUnit(cpuMs, deliveries),
      ratios: {
        lineOfInsertBaseline: Math.round((fanout.linePerSecond / baselines.postgresRowsPerSecond) * 1000) / 1000,
        fanoutOfBullmqBaseline: Math.round((fanout.deliveriesPerSecond / baselines.bullmqJobsPerSecond) * 1000) / 1000,
      },
    };
    writeScratchResult('fanout', { ...result, fanout: { ...fanout, broadcastId: undefined } });
  } finally {
    await services.stop();
    await feed.close();
  }
}

/**
 * `--answers-only`: the fan-out (to have recipients), then the page views and the answers with CPU
 * by process, for A/B runs of a change to the answer path (bench/tmp/, not a result of record).
 */
async function answersOnly(
  api: Awaited<ReturnType<typeof startService>>,
  env: Record<string, string>,
  token: string,
  tenantId: string,
  baselines: Awaited<ReturnType<typeof baselinesScenario>>,
  workers: number,
): Promise<void> {
  const services = await startDeliveryServices(env, { workers });
  const staffApi = await startService('api', env);
  const dashboard = DashboardClient.start(staffApi.url);
  try {
    const fanout = await fanoutScenario(api, env, token, tenantId, services);
    const cpu = new CpuAccounting(() => ({
      [api.child.pid!]: 'api (answer pool)',
      [staffApi.child.pid!]: 'api (staff pool)',
      ...Object.fromEntries(services.workers.map((w) => [w.child.pid!, 'workers'])),
    }));
    const beforeViews = cpu.snapshot();
    const pageViews = await pageViewsScenario(api, env, fanout.broadcastId);
    const viewsCpu = CpuAccounting.between(beforeViews, cpu.snapshot());
    const beforeAnswers = cpu.snapshot();
    const answers = await answersScenario(api, env, token, fanout.broadcastId, dashboard);
    const answersCpu = CpuAccounting.between(beforeAnswers, cpu.snapshot());
    const ratio = (perSecond: number | undefined) => Math.round(((perSecond ?? 0) / baselines.postgresRowsPerSecond) * 1000) / 1000;
    const result = {
      date: new Date().toISOString(),
      baselines,
      pageViews: { best: pageViews.best, steps: pageViews.steps, msPerView: CpuAccounting.perUnit(viewsCpu, pageViews.views) },
      answers: { best: answers.best, bestUnder200ms: answers.bestUnder200ms, steps: answers.steps, lost: answers.lost },
      msPerAnswer: CpuAccounting.perUnit(answersCpu, answers.accepted),
      ratios: { pageViewsOfInsertBaseline: ratio(pageViews.best?.perSecond), answersOfInsertBaseline: ratio(answers.best?.perSecond) },
    };
    writeScratchResult('answers', result);
  } finally {
    dashboard.close();
    await staffApi.stop();
    await services.stop();
  }
}

/** An A/B run's result: to bench/tmp/ (not a result of record) and to the console. */
function writeScratchResult<T extends { date: string }>(kind: 'fanout' | 'answers', result: T): void {
  mkdirSync(path.join(root, 'bench/tmp'), { recursive: true });
  writeFileSync(path.join(root, 'bench/tmp', `${kind}-${result.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 1));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
