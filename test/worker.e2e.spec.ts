import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import request from 'supertest';
import type { AppConfig } from '#anpi/config';
import { AppConfigModule, loadConfig } from '#anpi/config';
import { DbModule } from '#anpi/db';
import { JobHandler, JobName, JobRegistryModule, MissingJobHandlerError, QueueModule, QueueName } from '#anpi/queue';
import { RedisModule } from '#anpi/redis';
import { BillingProcessor } from '../apps/worker/src/processors/billing.processor.js';
import { BroadcastProcessor } from '../apps/worker/src/processors/broadcast.processor.js';
import { LineDeliveryProcessor } from '../apps/worker/src/processors/delivery.processors.js';
import { LineEventProcessor } from '../apps/worker/src/processors/line-event.processor.js';
import { TallyProcessor } from '../apps/worker/src/processors/tally.processor.js';
import { WorkerModule } from '../apps/worker/src/worker.module.js';
import { Factory, PASSWORD } from './support/factories.js';
import { TEST_ANSWER_KEYS, TEST_SECRETS_KEY } from './support/test-config.js';
import { deleteRedisKeys, startTestApi, type TestApi } from './support/test-api.js';

async function startWorker(config: AppConfig): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [WorkerModule.register(config)] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('worker', () => {
  let api: TestApi;
  let worker: INestApplication;
  let queue: Queue;

  beforeAll(async () => {
    api = await startTestApi();
    worker = await startWorker(api.config);
    queue = worker.get<Queue>(getQueueToken(QueueName.Maintenance));
  });
  afterAll(async () => {
    await worker?.close();
    await api.close();
  });

  it('runs each queue at its own concurrency: SEND_CONCURRENCY_LINE sets the LINE sends only', async () => {
    const tuned = await startWorker(
      loadConfig({
        ...configEnv(api.config),
        SEND_CONCURRENCY_LINE: '7',
        QUEUE_CONCURRENCY_BROADCASTS: '3',
        QUEUE_CONCURRENCY_TALLIES: '2',
        QUEUE_CONCURRENCY_LINE_EVENTS: '5',
      }),
    );
    try {
      const concurrency = (type: { name: string }) => (tuned.get(type as never) as { worker: { concurrency: number } }).worker.concurrency;
      expect({
        line: concurrency(LineDeliveryProcessor),
        broadcasts: concurrency(BroadcastProcessor),
        tallies: concurrency(TallyProcessor),
        lineEvents: concurrency(LineEventProcessor),
        billing: concurrency(BillingProcessor),
      }).toEqual({ line: 7, broadcasts: 3, tallies: 2, lineEvents: 5, billing: 1 });
    } finally {
      await tuned.close();
    }
  });

  it('serves its own /healthz and /readyz', async () => {
    await request(worker.getHttpServer()).get('/healthz').expect(200, { status: 'ok' });
    const ready = await request(worker.getHttpServer()).get('/readyz').expect(200);
    expect(ready.body.checks).toEqual({ postgres: { status: 'up' }, redis: { status: 'up' } });
  });

  it('declares the daily refresh-token purge on Tokyo time', async () => {
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toEqual([
      expect.objectContaining({ key: 'daily-refresh-token-purge', pattern: '30 3 * * *', tz: 'Asia/Tokyo', name: JobName.PurgeExpiredRefreshTokens }),
    ]);
  });

  it('purges refresh tokens expired for over a day, in every tenant, and keeps the rest', async () => {
    const make = new Factory(api);
    const [a, b] = await Promise.all([make.tenantWithAdmin(), make.tenantWithAdmin()]);
    await api.owner(`UPDATE refresh_tokens SET expires_at = now() - interval '2 days' WHERE tenant_id IN ($1, $2)`, [a.tenant.id, b.tenant.id]);
    const live = await make.login(a.tenant.slug, a.admin.email, PASSWORD);

    const job = await queue.add(JobName.PurgeExpiredRefreshTokens, {});
    const result = await waitFor(job.id!, queue);
    expect(result).toEqual({ tenants: 2, purged: 2 });
    const left = await api.owner('SELECT count(*)::int AS n FROM refresh_tokens');
    expect(left.rows[0].n).toBe(1);
    await api.http().post('/v1/auth/refresh').send({ refreshToken: live.refreshToken }).expect(200);
  });

  it('finishes a job in flight before shutting down', async () => {
    const separate = await startWorker(api.config);
    await worker.close(); // only `separate` takes jobs now
    worker = undefined as unknown as INestApplication;
    const separateQueue = separate.get<Queue>(getQueueToken(QueueName.Maintenance));
    const blocker = await api.db.owner.connect();
    try {
      // Hold the table so the purge blocks mid-job, then ask the worker to stop.
      await blocker.query('BEGIN; LOCK TABLE refresh_tokens IN ACCESS EXCLUSIVE MODE');
      const job = await separateQueue.add(JobName.PurgeExpiredRefreshTokens, {});
      await until(async () => (await separateQueue.getJobState(job.id!)) === 'active');
      let closed = false;
      const closing = separate.close().then(() => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(closed).toBe(false);
      await blocker.query('COMMIT');
      await closing;
      const checker = api.app.get<Queue>(getQueueToken(QueueName.Maintenance));
      expect(await checker.getJobState(job.id!)).toBe('completed');
    } finally {
      blocker.release();
    }
  });
});

describe('job registry', () => {
  it('refuses to boot when a job has no handler', async () => {
    const api = await startTestApi();
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [AppConfigModule.forRoot(api.config), DbModule, RedisModule, QueueModule, JobRegistryModule],
      }).compile();
      const app = moduleRef.createNestApplication({ logger: false });
      await expect(app.init()).rejects.toThrow(MissingJobHandlerError);
      await expect(app.init()).rejects.toThrow(`job "${JobName.PurgeExpiredRefreshTokens}" has no handler`);
      await app.close().catch(() => undefined);
    } finally {
      await api.close();
    }
  });

  it('refuses to boot when a job has two handlers', async () => {
    @Injectable()
    class SecondPurge {
      @JobHandler(JobName.PurgeExpiredRefreshTokens)
      purge() {
        return Promise.resolve();
      }
    }
    @Module({ providers: [SecondPurge] })
    class Duplicate {}
    const api = await startTestApi();
    try {
      const moduleRef = await Test.createTestingModule({ imports: [WorkerModule.register(api.config, { schedules: false }), Duplicate] }).compile();
      const app = moduleRef.createNestApplication({ logger: false });
      await expect(app.init()).rejects.toThrow(/has 2 handlers: .*SessionMaintenance.purgeExpiredRefreshTokens.*SecondPurge.purge/);
      await app.close().catch(() => undefined);
      await deleteRedisKeys(api.config);
    } finally {
      await api.close();
    }
  });
});

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function waitFor(jobId: string, queue: Queue): Promise<unknown> {
  await until(async () => ['completed', 'failed'].includes(await queue.getJobState(jobId)));
  const job = await queue.getJob(jobId);
  if (job?.failedReason) throw new Error(job.failedReason);
  return job?.returnvalue;
}

/** The environment that reproduces a test config, for a variant of it. */
function configEnv(config: AppConfig): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: config.databaseUrl,
    DATABASE_APP_URL: config.databaseAppUrl,
    REDIS_URL: config.redisUrl,
    REDIS_PREFIX: config.redisPrefix,
    PLATFORM_API_KEY: 'test-platform-key-0123456789abcdef0123456789',
    JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
    ANPI_SECRETS_KEY: TEST_SECRETS_KEY,
    ANSWER_TOKEN_KEYS: TEST_ANSWER_KEYS,
    JMA_POLL_SECONDS: '0',
  };
}
