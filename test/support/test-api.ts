import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import request from 'supertest';
import type { AppConfig } from '#anpi/config';
import { createLogger, PinoNestLogger } from '#anpi/observability';
import { ApiModule } from '../../apps/api/src/api.module.js';
import { configureApi } from '../../apps/api/src/configure-api.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { testConfig } from './test-config.js';

export interface TestApi {
  app: INestApplication;
  config: AppConfig;
  db: TestDatabase;
  /** JSON log lines written by the api: the access log, and application warnings and errors. */
  logs: Record<string, unknown>[];
  http(): ReturnType<typeof request>;
  /** A query as the database owner (row-level security does not hide rows from it here). */
  owner(sql: string, params?: unknown[]): Promise<{ rows: any[] }>;
  close(): Promise<void>;
}

/** The real api module on this file's own database and Redis prefix, served in-process. */
export async function startTestApi(overrides: Record<string, string> = {}): Promise<TestApi> {
  const db = await createTestDatabase();
  const config = testConfig(db, overrides);
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const moduleRef = await Test.createTestingModule({ imports: [ApiModule.register(config)] }).compile();
  const app = moduleRef.createNestApplication({ logger: new PinoNestLogger(createLogger({ level: 'warn', service: 'api', destination: sink })) });
  configureApi(app, config, createLogger({ level: 'info', service: 'api', destination: sink, withContext: false }));
  await app.init();
  return {
    app,
    config,
    db,
    logs,
    http: () => request(app.getHttpServer()),
    owner: (sql, params) => db.owner.query(sql, params),
    async close() {
      await app.close();
      await deleteRedisKeys(config);
      await db.drop();
    },
  };
}

export async function deleteRedisKeys(config: AppConfig): Promise<void> {
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined); // an unreachable Redis (a test's own doing) has nothing to clean
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.redisPrefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // nothing was stored
  } finally {
    redis.disconnect();
  }
}
