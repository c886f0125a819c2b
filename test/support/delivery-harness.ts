import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AppConfig } from '#anpi/config';
import { createLogger, PinoNestLogger } from '#anpi/observability';
import { LineStandIn, LineWorksStandIn, SendgridStandIn, SmtpSink, TwilioStandIn } from '#anpi/stand-ins';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { bearer } from './factories.js';
import { startTestApi, type TestApi } from './test-api.js';

export const TWILIO_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const TWILIO_TOKEN = 'stand-in-auth-token-0123456789';
export const PLATFORM_LINE_TOKEN = 'platform-line-channel-access-token';
export const PLATFORM_LINE_SECRET = 'platform-line-channel-secret-0123';
export const PLATFORM_BASIC_ID = '@anpi-test';
export const SENDGRID_API_KEY = 'SG.platform-stand-in-key.0123456789abcdef';

export interface DeliveryHarness {
  api: TestApi;
  worker: INestApplication | null;
  line: LineStandIn;
  twilio: TwilioStandIn;
  smtp: SmtpSink;
  /** SendGrid's Mail Send; email goes here with EMAIL_PROVIDER=sendgrid (the default is SMTP). */
  sendgrid: SendgridStandIn;
  /** LINE WORKS' auth server and bot API; tenants add their apps (see support/lineworks.ts). */
  lineworks: LineWorksStandIn;
  /** The environment a worker process needs to reach the same database, Redis and stand-ins. */
  env: Record<string, string>;
  startWorker(): Promise<INestApplication>;
  close(): Promise<void>;
}

/** The api and a worker on this file's database, with LINE, Twilio and SMTP stood in locally. */
export async function startDeliveryHarness(overrides: Record<string, string> = {}, options: { worker?: boolean } = {}): Promise<DeliveryHarness> {
  const [line, twilio, smtp, sendgrid, lineworks] = await Promise.all([
    LineStandIn.start(),
    TwilioStandIn.start({ [TWILIO_SID]: TWILIO_TOKEN }),
    SmtpSink.start(),
    SendgridStandIn.start([SENDGRID_API_KEY]),
    LineWorksStandIn.start(),
  ]);
  const env = {
    LINE_API_BASE_URL: line.url,
    LINE_CHANNEL_ID: '1000000001',
    LINE_CHANNEL_ACCESS_TOKEN: PLATFORM_LINE_TOKEN,
    LINE_CHANNEL_SECRET: PLATFORM_LINE_SECRET,
    LINE_BASIC_ID: PLATFORM_BASIC_ID,
    LINE_ACCOUNT_LINK_URL: line.accountLinkUrl,
    TWILIO_API_BASE_URL: twilio.url,
    TWILIO_ACCOUNT_SID: TWILIO_SID,
    TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
    TWILIO_FROM: '+15005550006',
    SMTP_URL: smtp.url,
    SENDGRID_API_BASE_URL: sendgrid.url,
    SENDGRID_API_KEY: SENDGRID_API_KEY,
    SENDGRID_WEBHOOK_PUBLIC_KEY: sendgrid.webhookPublicKey,
    LINEWORKS_API_BASE_URL: lineworks.apiBaseUrl,
    LINEWORKS_AUTH_URL: lineworks.authUrl,
    DELIVERY_BACKOFF_MS: '50',
    // Off here: each test sees its channels at once; test/line-first.e2e.spec.ts covers it.
    LINE_HEAD_START_MS: '0',
    PROVIDER_TIMEOUT_MS: '2000',
    PUBLIC_BASE_URL: 'https://anpi.test',
    ...overrides,
  };
  const api = await startTestApi(env);
  const harness: DeliveryHarness = {
    api,
    worker: null,
    line,
    twilio,
    smtp,
    sendgrid,
    lineworks,
    env: { ...env, DATABASE_URL: api.config.databaseUrl, DATABASE_APP_URL: api.config.databaseAppUrl, REDIS_PREFIX: api.config.redisPrefix },
    startWorker: async () => (harness.worker = await startInProcessWorker(api.config)),
    async close() {
      await harness.worker?.close();
      await api.close();
      await Promise.all([line.close(), twilio.close(), smtp.close(), sendgrid.close(), lineworks.close()]);
    },
  };
  if (options.worker !== false) await harness.startWorker();
  return harness;
}

export async function startInProcessWorker(config: AppConfig): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [WorkerModule.register(config, { schedules: false })] }).compile();
  const app = moduleRef.createNestApplication({ logger: new PinoNestLogger(createLogger({ level: 'error', service: 'worker' })) });
  await app.init();
  return app;
}

/** Polls the broadcast until `done` says so (or fails after `timeoutMs`). */
export async function waitForBroadcast(
  api: TestApi,
  token: string,
  id: string,
  done: (b: BroadcastBody) => boolean = (b) => b.status === 'completed',
  timeoutMs = 20_000,
): Promise<BroadcastBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api.http().get(`/v1/broadcasts/${id}`).set(bearer(token));
    if (res.status === 200 && done(res.body as BroadcastBody)) return res.body as BroadcastBody;
    if (Date.now() > deadline) throw new Error(`broadcast ${id} not done in time: ${JSON.stringify(res.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface BroadcastBody {
  id: string;
  status: string;
  recipientCount: number | null;
  counts: Record<string, Record<string, number>>;
  [key: string]: unknown;
}
