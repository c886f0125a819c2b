import { freePort, waitUntilReady } from '#anpi/processes';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { AnswerTokenSigner } from '#anpi/alerts';
import type { AppConfig } from '#anpi/config';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A fresh database for one benchmark run, migrated from the committed migrations. */
export async function freshDatabase(name: string): Promise<string> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/anpi');
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const owner = new URL(base);
  owner.pathname = `/${name}`;
  const migrate = spawnSync(process.execPath, ['scripts/prisma.mjs', 'migrate', 'deploy'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: owner.toString() },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`migrate failed: ${migrate.stderr}`);
  return owner.toString();
}

export interface Service {
  url: string;
  child: ChildProcess;
  /** Peak resident memory (VmHWM) in MiB so far. */
  peakRssMiB(): number;
  /** Resident memory (VmRSS) in MiB now. */
  rssMiB(): number;
  stop(): Promise<void>;
}

/**
 * Node options each process runs with in production (`npm run start:api`, `start:worker`): neither
 * holds large state (send jobs stream batches of 100–500), and a bounded heap makes V8 collect
 * garbage before resident memory balloons (the worker peaked at ~500 MiB without it, ~240 MiB with
 * it, sending as fast).
 */
export const NODE_FLAGS: Record<'api' | 'worker', string[]> = { api: ['--max-old-space-size=256'], worker: ['--max-old-space-size=256'] };
// For profiling a run: BENCH_WORKER_FLAGS="--cpu-prof --cpu-prof-dir=bench/tmp".
const EXTRA_FLAGS: Record<'api' | 'worker', string[]> = {
  api: (process.env.BENCH_API_FLAGS ?? '').split(' ').filter(Boolean),
  worker: (process.env.BENCH_WORKER_FLAGS ?? '').split(' ').filter(Boolean),
};

/** Starts a production build of the api or the worker as its own process. */
export async function startService(entry: 'api' | 'worker', env: Record<string, string>): Promise<Service> {
  const port = await freePort();
  const child = spawn(process.execPath, [...NODE_FLAGS[entry], ...EXTRA_FLAGS[entry], path.join(root, `dist/apps/${entry}/src/main.js`)], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, [entry === 'api' ? 'PORT' : 'WORKER_PORT']: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${url}/readyz`, child, { name: entry });
  return {
    url,
    child,
    peakRssMiB: () => procStatus(child.pid!, 'VmHWM'),
    rssMiB: () => procStatus(child.pid!, 'VmRSS'),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function secrets(): Record<string, string> {
  return {
    PLATFORM_API_KEY: `bench-${randomBytes(24).toString('hex')}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ANPI_SECRETS_KEY: `b:${randomBytes(32).toString('base64')}`,
    ANSWER_TOKEN_KEYS: `b:${randomBytes(32).toString('hex')}`,
    // The benchmark never reaches JMA; its telegram scenario serves its own feed.
    JMA_POLL_SECONDS: '0',
  };
}

export async function json<T>(res: Response): Promise<T> {
  const body = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${res.url}: ${body.slice(0, 500)}`);
  return JSON.parse(body) as T;
}

function procStatus(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]) / 1024;
}

/** The q-quantile (0..1) of `values`, in ms rounded to 0.1 (0 when there are none). */
export function percentile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;
}

/** Every recipient's answer link (/a/<token>) of a broadcast, in snapshot order, signed as the worker signs them. */
export async function signedAnswerLinks(db: pg.Client, env: Record<string, string>, broadcastId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string; expires: Date }>(
    `SELECT r.id, b.answer_expires_at AS expires FROM recipients r JOIN broadcasts b ON b.id = r.broadcast_id WHERE r.broadcast_id = $1 ORDER BY r.seq`,
    [broadcastId],
  );
  const [id, secret] = env.ANSWER_TOKEN_KEYS!.split(':') as [string, string];
  const signer = new AnswerTokenSigner({ answerTokenKeys: [{ id, secret }] } as unknown as AppConfig);
  return rows.map((r) => `/a/${signer.sign({ broadcastId, recipientId: r.id, expiresAt: r.expires })}`);
}
