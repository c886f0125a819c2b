import { freePort } from '#anpi/processes';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { ownerUrl, withAdmin } from './support/postgres.js';

/** `npm run demo` as a user runs it (from the build `npm test` makes first), in its smoke mode. */
describe('npm run demo', () => {
  const entry = 'dist/scripts/demo.js';
  const database = `anpi_demo_${randomBytes(4).toString('hex')}`;

  beforeAll(() => {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run the tests with \`npm test\`, which builds first`);
  });
  afterAll(() => withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)));

  it('creates and migrates its database, seeds the demo company, starts api and worker, and logs in', async () => {
    const [port, workerPort] = await Promise.all([freePort(), freePort()]);
    const run = await runDemo({ DATABASE_URL: ownerUrl(database), PORT: String(port), WORKER_PORT: String(workerPort), REDIS_PREFIX: `t-${database}` });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('9 departments, 30 employees, 3 users');
    expect(run.stdout).toMatch(/連携する.*\n\s+http:\/\/localhost:\d+\/l\/[A-Za-z0-9_-]+\?c=platform/);
    expect(run.stdout).toMatch(/the outbox lists \d+ answer links and LINE's buttons/);
    expect(run.stdout).toContain('every command the guide prints answered 200');
    expect(run.stdout).toContain('smoke test passed');

    const db = new pg.Client({ connectionString: ownerUrl(database) });
    await db.connect();
    try {
      const tree = await db.query(
        `SELECT d.name, array_length(d.path, 1) AS depth,
          (SELECT count(*)::int FROM employees e WHERE e.department_id = d.id) AS staff FROM departments d ORDER BY d.code`,
      );
      expect(tree.rows).toContainEqual({ name: '本社', depth: 1, staff: 2 });
      expect(tree.rows).toContainEqual({ name: '第一課', depth: 3, staff: 5 });
      expect(Math.max(...tree.rows.map((r: { depth: number }) => r.depth))).toBe(3);
      const people = await db.query(`SELECT name, kana FROM employees ORDER BY code LIMIT 1`);
      expect(people.rows[0]).toEqual({ name: '山田 太郎', kana: 'ヤマダ タロウ' });
    } finally {
      await db.end();
    }

    // A second run finds everything in place and seeds nothing twice.
    const again = await runDemo({ DATABASE_URL: ownerUrl(database), PORT: String(port), WORKER_PORT: String(workerPort), REDIS_PREFIX: `t-${database}` });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already exists');
  }, 180_000);

  it('stops cleanly on Ctrl-C (SIGINT to the whole process group, as a terminal sends it)', async () => {
    const [port, workerPort, outboxPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const env = {
      ...process.env,
      LOG_LEVEL: 'warn',
      DATABASE_URL: ownerUrl(database),
      PORT: String(port),
      WORKER_PORT: String(workerPort),
      DEMO_OUTBOX_PORT: String(outboxPort),
      REDIS_PREFIX: `t-${database}`,
    };
    const child = spawn(process.execPath, ['dist/scripts/demo.js'], { env, detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 120_000;
      while (!stdout.includes('Press Ctrl-C to stop.') && Date.now() < deadline && child.exitCode === null)
        await new Promise((resolve) => setTimeout(resolve, 200));
      // With stderr beside it, so that a demo that failed to start says why.
      expect({ stdout, stderr }).toMatchObject({ stdout: expect.stringContaining('Press Ctrl-C to stop.') });
      // The printed guide: every command is one pasteable line, with the search value URL-encoded.
      expect(stdout).toMatch(new RegExp(`curl -s -G http://[0-9a-z.]+:${port}/v1/employees --data-urlencode 'q=やまだ'`));
      expect(stdout).not.toMatch(/curl[^\n]*\?q=やまだ/);
      const outbox = await fetch(`http://localhost:${outboxPort}/`);
      expect(outbox.status).toBe(200);
      expect(await outbox.text()).toContain('デモの送信箱');
    } finally {
      process.kill(-child.pid!, 'SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stdout).toContain('anpi demo stopped');
    expect(stderr).not.toMatch(/stopped \(/);
  }, 180_000);

  it('tells the user how to start PostgreSQL when it is not reachable, without a stack trace', async () => {
    const run = await runDemo({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/anpi' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PostgreSQL is not reachable at 127.0.0.1:1');
    expect(run.stderr).toContain('docker compose up -d');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('tells the user how to start Redis when it is not reachable', async () => {
    const run = await runDemo({ DATABASE_URL: ownerUrl(database), REDIS_URL: 'redis://127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Redis is not reachable at 127.0.0.1:1');
    expect(run.stderr).toContain('docker compose up -d');
  });
});

function runDemo(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/scripts/demo.js', '--smoke'], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
