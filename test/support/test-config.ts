import { loadConfig, type AppConfig } from '#anpi/config';
import type { TestDatabase } from './test-database.js';

export const PLATFORM_KEY = 'test-platform-key-0123456789abcdef0123456789';
export const TEST_SECRETS_KEY = `t:${Buffer.alloc(32, 42).toString('base64')}`;
export const TEST_ANSWER_KEYS = 't:test-answer-token-secret-0123456789abcdef';

/** Configuration for one test file: its own database and its own Redis key prefix. */
export function testConfig(db: TestDatabase, overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: db.ownerUrl,
    DATABASE_APP_URL: db.appUrl,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `t-${db.name}`,
    PLATFORM_API_KEY: PLATFORM_KEY,
    JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
    ANPI_SECRETS_KEY: TEST_SECRETS_KEY,
    ANSWER_TOKEN_KEYS: TEST_ANSWER_KEYS,
    // No test reaches JMA: a test that polls points the worker at its own feed server.
    JMA_POLL_SECONDS: '0',
    ...overrides,
  });
}
