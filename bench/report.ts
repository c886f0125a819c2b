import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { answersScenario } from './answers-scenario.js';
import type { baselinesScenario } from './baselines-scenario.js';
import type { fanoutScenario } from './fanout-scenario.js';
import type { importScenario } from './import-scenario.js';
import type { launchScenario } from './launch-scenario.js';
import type { tallyScenario } from './tally-scenario.js';
import { root } from './support.js';

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
  baselines: Awaited<ReturnType<typeof baselinesScenario>>;
  answers: Awaited<ReturnType<typeof answersScenario>>;
  ratios: { fanoutOfBullmqBaseline: number; answersOfInsertBaseline: number };
  targets: Record<string, boolean>;
  method: Record<string, string>;
}): string {
  const ok = (v: boolean) => (v ? 'met' : '**missed**');
  return `# anpi benchmark — ${r.date}

Machine: ${r.machine.cpus} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}. Tenant: ${r.employees.toLocaleString('en')} employees, ${r.departments.toLocaleString('en')} departments (~5 levels).

## CSV import (${r.import.rows.toLocaleString('en')} rows, ${r.import.fileMiB} MiB)

| | |
| --- | --- |
| dry run | ${r.import.dryRunSeconds} s |
| import (all created) | ${r.import.importSeconds} s (${r.import.rowsPerSecond.toLocaleString('en')} rows/s) |
| re-import (all unchanged) | ${r.import.reimportUnchangedSeconds} s |
| api peak memory | ${r.import.apiPeakRssMiB} MiB |

Targets: import of 100,000 rows under 60 s — ${r.employees >= 100_000 ? ok(r.targets.importUnder60s!) : 'n/a at this size'}; memory under 400 MiB — ${ok(r.targets.importMemoryUnder400MiB!)}.

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

| | deliveries | done after |
| --- | --- | --- |
| LINE (multicasts of 500) | ${r.fanout.deliveries.line ?? 0} | ${r.fanout.seconds.line ?? '-'} s |
| email | ${r.fanout.deliveries.email ?? 0} | ${r.fanout.seconds.email ?? '-'} s |
| SMS | ${r.fanout.deliveries.sms ?? 0} (${r.fanout.smsSegments ?? '-'} segments metered, ${r.fanout.smsSegmentsPerMessage ?? '-'} per message) | ${r.fanout.seconds.sms ?? '-'} s |
| all | | ${r.fanout.seconds.all} s (${r.fanout.deliveriesPerSecond.toLocaleString('en')} deliveries/s) |

Worker processes: ${r.fanout.workerProcesses}; peak memory ${r.fanout.workerPeakRssMiB} MiB for the largest, ${r.fanout.workersPeakRssMiBTotal} MiB all together (the target is read against all together); requests the official specs refuse: ${r.fanout.violations}.
Targets at 100,000: LINE within 15 s — ${r.employees >= 100_000 ? ok(r.targets.lineWithin15s!) : 'n/a at this size'}; every channel within 90 s — ${r.employees >= 100_000 ? ok(r.targets.allChannelsWithin90s!) : 'n/a at this size'}; workers under 500 MiB together — ${ok(r.targets.workerUnder500MiB!)}.

How: ${r.method.fanout}

Against the BullMQ baseline (${r.baselines.bullmqJobsPerSecond.toLocaleString('en')} no-op jobs/s): ${Math.round(r.ratios.fanoutOfBullmqBaseline * 1000) / 10}%.

## Answers

| connections | answers | answers/s | p50 | p99 | errors | tally p95 meanwhile (company / deepest department) |
| --- | --- | --- | --- | --- | --- | --- |
${r.answers.steps.map((s) => `| ${s.connections} | ${s.answers.toLocaleString('en')} | ${s.perSecond.toLocaleString('en')} | ${s.p50Ms} ms | ${s.p99Ms} ms | ${s.errors} | ${s.tally.p95Ms} ms / ${s.tally.deepP95Ms} ms |`).join('\n')}

Highest rate with p99 under 200 ms: ${r.answers.best ? `${r.answers.best.perSecond.toLocaleString('en')} answers/s at ${r.answers.best.connections} connections (p50 ${r.answers.best.p50Ms} ms, p99 ${r.answers.best.p99Ms} ms)` : 'none'}; ${Math.round(r.ratios.answersOfInsertBaseline * 1000) / 10}% of the batched-insert baseline (${r.baselines.postgresRowsPerSecond.toLocaleString('en')} rows/s). Accepted ${r.answers.accepted.toLocaleString('en')}, stored ${r.answers.stored.toLocaleString('en')}, lost ${r.answers.lost}.
Targets: at least 1,500 answers/s with p99 under 200 ms — ${ok(r.targets.answers1500PerSecond!)}; none lost — ${ok(r.targets.noAnswerLost!)}.

How: ${r.method.answers}

## Baselines (same machine, same run)

| | |
| --- | --- |
| BullMQ no-op jobs | ${r.baselines.bullmqJobsPerSecond.toLocaleString('en')} jobs/s (${r.baselines.bullmqJobs.toLocaleString('en')} jobs) |
| PostgreSQL batched inserts (deliveries-shaped rows) | ${r.baselines.postgresRowsPerSecond.toLocaleString('en')} rows/s (${r.baselines.postgresRows.toLocaleString('en')} rows) |

How: ${r.method.baselines}

## Tally (${r.tally.recipients.toLocaleString('en')} recipients, ${r.tally.answered.toLocaleString('en')} answered, ${r.tally.departments} departments)

| | p50 | p95 |
| --- | --- | --- |
| company, while answers flow at the highest sustained rate | ${r.answers.tallyDuring?.p50Ms ?? '-'} ms | ${r.answers.tallyDuring?.p95Ms ?? '-'} ms |
| deepest department, the same | ${r.answers.tallyDuring?.deepP50Ms ?? '-'} ms | ${r.answers.tallyDuring?.deepP95Ms ?? '-'} ms |
| company, all answered | ${r.tally.p50Ms} ms | ${r.tally.p95Ms} ms |
| deepest department, all answered | ${r.tally.deepP50Ms} ms | ${r.tally.deepP95Ms} ms |
| uncached (aggregation in the request) | ${r.tally.coldMs} ms | |

Target: p95 under 50 ms — ${ok(r.targets.tallyP95Under50ms!)} (all four rows; the answers table shows the tally at every step, beyond the sustained rate too).

How: ${r.method.tally}
`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node dist/bench/report.js bench/results/<date>-<size>.json');
  writeFileSync(path.join(root, 'bench/results/latest.md'), markdown(JSON.parse(readFileSync(file, 'utf8'))));
}
