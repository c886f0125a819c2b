import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WEBHOOK_CONNECTIONS } from '#anpi/stand-ins';
import type { answersScenario } from './answers-scenario.js';
import type { baselinesScenario } from './baselines-scenario.js';
import type { fanoutScenario } from './fanout-scenario.js';
import type { pageViewsScenario } from './page-views-scenario.js';
import type { importScenario } from './import-scenario.js';
import type { launchScenario } from './launch-scenario.js';
import type { tallyScenario } from './tally-scenario.js';
import type { telegramScenario } from './telegram-scenario.js';
import type { tapFloodScenario } from './tap-flood-scenario.js';
import { root } from './support.js';

function consoleTally(
  t: { recipients: number; secondsToTally: number; longestTaskMs: number; blockingMs: number; expandMs: number } | null | undefined,
  met: boolean | undefined,
  ok: (v: boolean) => string,
): string {
  if (!t) return 'Tally screen: not measured (no Chromium).';
  return (
    `Tally screen, ${t.recipients.toLocaleString('en')} recipients, on a phone-sized Chromium: every recipient counted ` +
    `${t.secondsToTally} s after opening; a department opened in ${t.expandMs} ms; longest main-thread task ${t.longestTaskMs} ms ` +
    `(${t.blockingMs} ms blocking in all). Target: no task over 500 ms (the page never freezes) — ${ok(Boolean(met))}.`
  );
}

function consoleKb(size: { initialJsGzipBytes: number }): number {
  return Math.round(size.initialJsGzipBytes / 102.4) / 10;
}

/** bench/results/latest.md from a run's result; `node dist/bench/report.js <result.json>` renders it again. */
export function markdown(r: {
  date: string;
  employees: number;
  departments: number;
  machine: { cpus: number; memoryGiB: number; node: string };
  import: Awaited<ReturnType<typeof importScenario>>;
  launch: Awaited<ReturnType<typeof launchScenario>>;
  fanout: Awaited<ReturnType<typeof fanoutScenario>>;
  tally: Awaited<ReturnType<typeof tallyScenario>>;
  telegram?: Awaited<ReturnType<typeof telegramScenario>>;
  tapFlood?: Awaited<ReturnType<typeof tapFloodScenario>>;
  console?: {
    initialJsGzipBytes: number;
    files: { file: string; gzipBytes: number }[];
    tally?: { recipients: number; secondsToTally: number; longestTaskMs: number; blockingMs: number; expandMs: number } | null;
  };
  baselines: Awaited<ReturnType<typeof baselinesScenario>>;
  answers: Awaited<ReturnType<typeof answersScenario>>;
  /** Opening the answer page, every recipient (absent in runs before it was measured). */
  pageViews?: Awaited<ReturnType<typeof pageViewsScenario>>;
  /** CPU by process over the fan-out, the page views and the answer steps (absent in runs before it was measured). */
  cpu?: {
    fanout: { cpuMs: Record<string, number>; deliveries: number; msPerDelivery: Record<string, number> };
    answers: { cpuMs: Record<string, number>; answers: number; msPerAnswer: Record<string, number> };
    pageViews?: { cpuMs: Record<string, number>; views: number; msPerView: Record<string, number> };
  };
  ratios: {
    fanoutOfBullmqBaseline: number;
    emailOfBullmqBaseline: number;
    answersOfInsertBaseline: number;
    pageViewsOfInsertBaseline?: number;
    lineOfInsertBaseline?: number;
  };
  targets: Record<string, boolean>;
  method: Record<string, string>;
}): string {
  const ok = (v: boolean) => (v ? 'met' : '**missed**');
  const at100k = (v: boolean | undefined) => (r.employees >= 100_000 ? ok(v!) : 'n/a at this size');
  const n = (v: number) => v.toLocaleString('en');
  const pct = (ratio: number) => `${Math.round(ratio * 1000) / 10}%`;
  const { fanout, answers, baselines } = r;
  const sms = `${fanout.deliveries.sms ?? 0} (${fanout.smsSegments ?? '-'} segments metered, ${fanout.smsSegmentsPerMessage ?? '-'} per message)`;
  const answerRows = answers.steps.map(
    (s) =>
      `| ${s.connections} | ${n(s.answers)} | ${n(s.perSecond)} | ${s.p50Ms} ms | ${s.p99Ms} ms | ${s.errors} ` +
      `| ${s.tally.p95Ms} ms / ${s.tally.deepP95Ms} ms |`,
  );
  const stepText = (step: (typeof answers.steps)[number] | null | undefined) =>
    step ? `${n(step.perSecond)} answers/s at ${step.connections} connections (p50 ${step.p50Ms} ms, p99 ${step.p99Ms} ms)` : 'none';
  const best = stepText(answers.best);
  const accepted = fanout.accepted;
  const emailFirst = accepted?.emailFirst !== undefined ? ` (the first ${accepted.emailFirst} s)` : '';
  const lineRow = accepted
    ? `LINE, launch request to the last multicast accepted: ${accepted.lineLast} s` +
      (accepted.lineFirst !== undefined ? ` (the first at ${accepted.lineFirst} s)` : '') +
      `, ${n(fanout.linePerSecond)} LINE users/s, ` +
      `${pct(r.ratios.lineOfInsertBaseline ?? 0)} of the batched-insert baseline (target at least 20% — ${ok(r.targets.lineAtLeast20PercentOfInserts!)}).` +
      (accepted.emailFirst !== undefined ? ` Email: first request accepted at ${accepted.emailFirst} s, last at ${accepted.emailLast} s.` : '') +
      (fanout.stages
        ? ` The worker's stages: recipients snapshotted at ${fanout.stages.snapshotted} s, ` +
          `every first-round delivery created at ${fanout.stages.deliveriesCreated} s.`
        : '')
    : '';
  return `# anpi benchmark — ${r.date}

Machine: ${r.machine.cpus} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}.
Tenant: ${n(r.employees)} employees, ${n(r.departments)} departments (~5 levels).

## CSV import (${r.import.rows.toLocaleString('en')} rows, ${r.import.fileMiB} MiB)

| | |
| --- | --- |
| dry run | ${r.import.dryRunSeconds} s |
| import (all created) | ${r.import.importSeconds} s (${r.import.rowsPerSecond.toLocaleString('en')} rows/s) |
| re-import (all unchanged) | ${r.import.reimportUnchangedSeconds} s |
| api peak memory | ${r.import.apiPeakRssMiB} MiB |

Targets: import of 100,000 rows under 60 s — ${at100k(r.targets.importUnder60s)}; memory under 400 MiB — ${ok(r.targets.importMemoryUnder400MiB!)}.

How: ${r.method.import} ${r.method.processes}.

## Launching an alert

| | |
| --- | --- |
| p50 | ${r.launch.p50Ms} ms |
| p95 | ${r.launch.p95Ms} ms |
| max | ${r.launch.maxMs} ms |

Target: answer in well under 100 ms whatever the tenant's size — ${ok(r.targets.launchP50Under100ms!)} (p50).

How: ${r.method.launch}

## Fan-out of one alert to everyone (${r.fanout.recipients.toLocaleString('en')} recipients)

| | deliveries | done after (the last accepted by the provider; all: every delivery recorded) |
| --- | --- | --- |
| LINE (multicasts of 500) | ${r.fanout.deliveries.line ?? 0} | ${r.fanout.seconds.line ?? '-'} s |
| email (${emailHow(r.fanout.email)}) | ${r.fanout.deliveries.email ?? 0} | ${r.fanout.seconds.email ?? '-'} s${emailFirst} |
| SMS | ${sms} | ${r.fanout.seconds.sms ?? '-'} s |
| all | | ${r.fanout.seconds.all} s (${r.fanout.deliveriesPerSecond.toLocaleString('en')} deliveries/s) |

Worker processes: ${fanout.workerProcesses}; peak memory ${fanout.workerPeakRssMiB} MiB for the largest, ${fanout.workersPeakRssMiBTotal} MiB all together
(the target is read against all together); requests the official specs refuse: ${fanout.violations}.
Targets at 100,000: LINE within 15 s — ${at100k(r.targets.lineWithin15s)}; every email accepted within 15 s — ${at100k(r.targets.emailWithin15s)};
every channel within 60 s — ${at100k(r.targets.allChannelsWithin60s)};
workers under 500 MiB together — ${ok(r.targets.workerUnder500MiB!)}.

How: ${r.method.fanout}

Against the BullMQ baseline (${n(r.baselines.bullmqJobsPerSecond)} no-op jobs/s): \
${pct(r.ratios.fanoutOfBullmqBaseline)} (all deliveries; target at least 50% — ${ok(r.targets.allChannelsAtLeast50PercentOfBullmq!)}), \
${pct(r.ratios.emailOfBullmqBaseline ?? 0)} (email alone).

${lineRow}

## Answers

| connections | answers | answers/s | p50 | p99 | errors | tally p95 meanwhile (company / deepest department) |
| --- | --- | --- | --- | --- | --- | --- |
${answerRows.join('\n')}

Highest rate with p99 under 100 ms: ${best};
${pct(r.ratios.answersOfInsertBaseline)} of the batched-insert baseline (${n(baselines.postgresRowsPerSecond)} rows/s; target at least 5% — \
${ok(Boolean(r.targets.answersAtLeast5PercentOfInserts))}). Under 200 ms: ${stepText(answers.bestUnder200ms)}.
Accepted ${n(answers.accepted)}, stored ${n(answers.stored)}, lost ${answers.lost}.
Targets: at least 1,500 answers/s with p99 under 200 ms — ${ok(r.targets.answers1500PerSecond!)}; none lost — ${ok(r.targets.noAnswerLost!)}.

How: ${r.method.answers}
${
  r.telegram
    ? `
## JMA telegram to LINE

| | |
| --- | --- |
| telegram in the feed → broadcast created | ${r.telegram.secondsToBroadcast} s |
| telegram in the feed → last LINE multicast accepted | ${r.telegram.secondsToLine} s (${n(r.telegram.lineDeliveries)} LINE users) |
| poll interval | ${r.telegram.pollSeconds} s |

Target (one poll interval plus the fan-out's LINE time, ${r.telegram.pollSeconds} s + ${r.fanout.accepted?.lineLast ?? r.fanout.seconds.line ?? '-'} s): \
${ok(r.targets.telegramToLineWithinPollPlusFanout!)}.

How: ${r.method.telegram}
`
    : ''
}${
    r.console
      ? `
## Console

Initial JavaScript of the login and home screens: ${consoleKb(r.console)} KB gzipped
(${r.console.files.map((f) => f.file).join(', ')}). Target: at most 250 KB — ${ok(r.targets.consoleInitialJsUnder250KB!)}.
${consoleTally(r.console.tally, r.targets.consoleTallyNoTaskOver500ms, ok)}

How: ${r.method.console}
`
      : ''
  }
${pageViewsSection(r.pageViews, r.ratios.pageViewsOfInsertBaseline, r.baselines.postgresRowsPerSecond)}${tapFloodSection(r.tapFlood, r.targets, ok)}\
${cpuSection(r.cpu)}## Baselines (same machine, same run)

| | |
| --- | --- |
| BullMQ no-op jobs | ${r.baselines.bullmqJobsPerSecond.toLocaleString('en')} jobs/s (${r.baselines.bullmqJobs.toLocaleString('en')} jobs) |
| PostgreSQL batched inserts (deliveries-shaped rows) | ${n(baselines.postgresRowsPerSecond)} rows/s (${n(baselines.postgresRows)} rows) |

How: ${r.method.baselines}

## Tally (${r.tally.recipients.toLocaleString('en')} recipients, ${r.tally.answered.toLocaleString('en')} answered, ${r.tally.departments} departments)

| | p50 | p95 |
| --- | --- | --- |
| company, while answers flow at the highest sustained rate | ${r.answers.tallyDuring?.p50Ms ?? '-'} ms | ${r.answers.tallyDuring?.p95Ms ?? '-'} ms |
| deepest department, the same | ${r.answers.tallyDuring?.deepP50Ms ?? '-'} ms | ${r.answers.tallyDuring?.deepP95Ms ?? '-'} ms |
| company, all answered | ${r.tally.p50Ms} ms | ${r.tally.p95Ms} ms |
| deepest department, all answered | ${r.tally.deepP50Ms} ms | ${r.tally.deepP95Ms} ms |
| uncached (aggregation in the request) | ${r.tally.coldMs} ms | |

Targets: p95 under 20 ms for the company while answers flow, under 10 ms for the rest — \
${ok(Boolean(r.targets.tallyUnder20msDuringUnder10msAfter))}; p95 under 50 ms in all four rows — ${ok(r.targets.tallyP95Under50ms!)}.
The answers table shows the tally at every step, beyond the sustained rate too.

How: ${r.method.tally}
`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node dist/bench/report.js bench/results/<date>-<size>.json');
  writeFileSync(path.join(root, 'bench/results/latest.md'), markdown(JSON.parse(readFileSync(file, 'utf8'))));
}

function emailHow(email: { provider: string; batchSize: number } | undefined): string {
  if (!email) return 'SMTP';
  return email.provider === 'sendgrid' ? `SendGrid, ${email.batchSize} per request` : 'SMTP, a message each';
}

function cpuSection(cpu: Parameters<typeof markdown>[0]['cpu']): string {
  if (!cpu) return '';
  const views = cpu.pageViews?.msPerView ?? {};
  const roles = [...new Set([...Object.keys(cpu.fanout.msPerDelivery), ...Object.keys(views), ...Object.keys(cpu.answers.msPerAnswer)])]
    .filter((r) => r !== 'total')
    .sort();
  const rows = roles.map((role) => `| ${role} | ${cpu.fanout.msPerDelivery[role] ?? 0} | ${views[role] ?? '-'} | ${cpu.answers.msPerAnswer[role] ?? 0} |`);
  const deliveries = cpu.fanout.deliveries.toLocaleString('en');
  const answers = cpu.answers.answers.toLocaleString('en');
  const pages = cpu.pageViews?.views.toLocaleString('en') ?? '-';
  return `## CPU by process

| process | CPU ms per delivery (fan-out, ${deliveries} deliveries) | per page view (${pages} views) | per answer (answer steps, ${answers} answers) |
| --- | --- | --- | --- |
${rows.join('\n')}
| **all** | **${cpu.fanout.msPerDelivery.total}** | **${views.total ?? '-'}** | **${cpu.answers.msPerAnswer.total}** |

How: utime + stime of every process from /proc before and after each step (all threads), by role: the answer-pool and
staff-pool api processes, the workers, every \`postgres\` process, Redis, the benchmark process (provider stand-ins and
the load generator), and the rest of the machine; divided by the deliveries of the fan-out, the pages opened and the answers accepted.

`;
}

function cpuPerTap(per: Record<string, number>): string {
  const { total, ...roles } = per;
  const parts = Object.entries(roles)
    .sort(([, a], [, b]) => b - a)
    .map(([role, ms]) => `${role} ${ms}`);
  return `${total} ms (${parts.join(', ')})`;
}

/** Older results lack the figure; the row is left out for them. */
function loadGeneratorRow(delay: { p50: number; p99: number; max: number } | undefined): string {
  if (!delay) return '';
  const figures = `p50 ${delay.p50} ms, p99 ${delay.p99} ms, max ${delay.max} ms`;
  return `| the load generator's own event-loop delay meanwhile (included in the response times) | ${figures} |\n`;
}

function tapFloodSection(t: Parameters<typeof markdown>[0]['tapFlood'], targets: Record<string, boolean>, ok: (v: boolean) => string): string {
  if (!t) return '';
  const n = (v: number) => v.toLocaleString('en');
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const webhook = `p50 ${t.webhook.p50Ms} ms, p99 ${t.webhook.p99Ms} ms, max ${t.webhook.maxMs} ms; not 200: ${t.webhook.non200}`;
  const reply = `p50 ${s(t.tapToReply.p50Ms)} s, p99 ${s(t.tapToReply.p99Ms)} s, max ${s(t.tapToReply.maxMs)} s`;
  const pages = `${n(t.pages.views)} (${n(t.pages.perSecond)}/s), p50 ${t.pages.p50Ms} ms, p99 ${t.pages.p99Ms} ms, errors ${t.pages.errors}`;
  return `## The LINE tap flood

| | |
| --- | --- |
| LINE users tapping within ${t.spreadSeconds} s | ${n(t.lineUsers)} (無事です ${n(t.taps.safe)}, 回答する ${n(t.taps.answer)}) |
| webhook requests (1–5 events each) | ${n(t.requests)}; response ${webhook}; redelivered after a reset connection: ${t.webhook.redelivered ?? 0} |
${loadGeneratorRow(t.loadGeneratorDelayMs)}| tap → reply accepted by LINE | ${reply}; neither reply nor push by the end of the wait: ${t.tapToReply.missing} |
| paid pushes instead of replies | ${t.pushFallbacks}${
    t.replyStatuses
      ? ` (reply requests by LINE's status: ${Object.entries(t.replyStatuses)
          .map(([k, v]) => `${k} × ${n(v)}`)
          .join(', ')})`
      : ''
  } |
| 無事です recorded / counted in the tally | ${n(t.safeRecorded)} / ${n(t.safeInTally)} |
| answer pages opened meanwhile (one per 回答する tap, ${n(t.pages.ratePerSecond ?? 0)}/s asked, ${t.pages.connections} connections) | ${pages} |
${t.cpu ? `| CPU per tap, all processes, first tap to last reply (pages beside it included) | ${cpuPerTap(t.cpu.msPerTap)} |\n` : ''}
Targets: webhook p99 under 500 ms — ${ok(Boolean(targets.tapFloodWebhookP99Under500ms))}; tap to reply p99 under 20 s — \
${ok(Boolean(targets.tapFloodReplyP99Under20s))}; no push fallback — ${ok(Boolean(targets.tapFloodNoPushFallback))}; every 無事です \
in the tally exactly once — ${ok(Boolean(targets.tapFloodSafeOnceInTally))}.

How: after the other scenarios, a LINE-only alert to everyone; once it is sent, every LINE user taps 無事です or 回答する
(half each, random order, evenly over ${t.spreadSeconds} s) as signed webhooks of 1 to 5 postback events posted by the LINE
stand-in to the answer pool's /line/webhook over at most ${WEBHOOK_CONNECTIONS} kept-alive connections at once (each body checked
against LINE's webhook.yml first), while the 回答する tappers
open their answer pages at the rate they tap (autocannon, up to ${t.pages.connections} connections, over loopback). A reply is accepted only with a reply
token under a minute old, as LINE documents; otherwise anpi pushes (counted).

`;
}

function pageViewsSection(views: Parameters<typeof markdown>[0]['pageViews'], ratio: number | undefined, insertBaseline: number): string {
  if (!views) return '';
  const rows = views.steps.map(
    (s) => `| ${s.connections} | ${s.views.toLocaleString('en')} | ${s.perSecond.toLocaleString('en')} | ${s.p50Ms} ms | ${s.p99Ms} ms | ${s.errors} |`,
  );
  const best = views.best
    ? `${views.best.perSecond.toLocaleString('en')} pages/s at ${views.best.connections} connections (p99 ${views.best.p99Ms} ms); ` +
      `${Math.round((ratio ?? 0) * 1000) / 10}% of the batched-insert baseline (${insertBaseline.toLocaleString('en')} rows/s)`
    : 'no step kept p99 under 100 ms';
  return `## Opening the answer page

| connections | pages | pages/s | p50 | p99 | errors |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Highest rate with p99 under 100 ms: ${best}. First openings recorded: ${views.openedRecorded.toLocaleString('en')} of ${views.views.toLocaleString('en')}.

How: before the answers, every recipient opens their page once (GET /a/<token>, a distinct signed link each), driven by
autocannon from the benchmark process over loopback at 10, 25, 50, 100 and 200 connections, the recipients split evenly
over the steps; the page is rendered and its first opening recorded (grouped, like answers).

`;
}
