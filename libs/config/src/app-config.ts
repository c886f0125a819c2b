import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const secret = (what: string) => z.string({ error: `is required (${what})` }).min(32, { error: 'must be at least 32 characters' });
const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { error: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );
const keyList = (what: string, check: (secret: string) => string | null) =>
  z.string({ error: `is required (${what})` }).transform((value, ctx) => {
    const keys: { id: string; secret: string }[] = [];
    for (const part of value
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const match = /^([A-Za-z0-9])[:=](.+)$/.exec(part);
      const problem = match ? check(match[2]!) : 'each entry must be <one-letter key id>:<secret>';
      if (problem || !match) {
        ctx.addIssue({ code: 'custom', message: problem ?? 'malformed' });
        return z.NEVER;
      }
      if (keys.some((k) => k.id === match[1])) {
        ctx.addIssue({ code: 'custom', message: `key id ${match[1]} appears twice` });
        return z.NEVER;
      }
      keys.push({ id: match[1]!, secret: match[2]! });
    }
    if (keys.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'needs at least one key' });
      return z.NEVER;
    }
    return keys;
  });
const bool = z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).transform((value) => value === 'true' || value === '1');

/** Every variable the api and the worker read, with its default. Names match the environment. */
export const configSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'test', 'production'])
    .default('development')
    .meta({ section: 'Process and network', description: '`development`, `test` or `production`' }),
  HOST: z.string().min(1).default('127.0.0.1').meta({ description: 'the address the api and the worker listen on (`0.0.0.0` in a container)' }),
  PORT: port.default(3000).meta({ description: "the api's port" }),
  WORKER_PORT: port.default(3001).meta({ description: "the worker's port: `/healthz`, `/readyz` and `/metrics`" }),
  PUBLIC_BASE_URL: url(['http:', 'https:'])
    .default('http://localhost:3000')
    .meta({ description: 'the base of every link sent to employees (answer links, short links, LINE link pages); keep it short, SMS pay per character' }),
  TRUST_PROXY: bool
    .default(false)
    .meta({ description: '`true` behind a load balancer: client addresses (login throttling, bad-link limits) come from `X-Forwarded-For`' }),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .meta({ description: 'pino levels; logs are JSON with tenant and broadcast ids, never answers, tokens, phone numbers or emails' }),

  DATABASE_URL: url(['postgres:', 'postgresql:'])
    .default('postgresql://postgres@127.0.0.1:5432/anpi')
    .meta({ section: 'Data', description: 'the owner: migrations and set-up only' }),
  DATABASE_APP_URL: url(['postgres:', 'postgresql:'])
    .optional()
    .meta({ description: "the application's role, which row-level security applies to; unset: `DATABASE_URL` as `anpi_app` with `DATABASE_APP_PASSWORD`" }),
  DATABASE_APP_PASSWORD: z
    .string()
    .min(1)
    .default('anpi_app')
    .meta({ description: 'the password of `anpi_app` when `DATABASE_APP_URL` is derived; `node scripts/anpi.mjs migrate` sets it on the role' }),
  DATABASE_POOL_SIZE: positiveInt.max(200).default(10).meta({ description: 'PostgreSQL connections per process ([operations](operations.md) sizes them)' }),
  REDIS_URL: url(['redis:', 'rediss:'])
    .default('redis://127.0.0.1:6379')
    .meta({ description: 'queues, tally cache, rate limits and throttling counters; needs persistence and `noeviction` ([operations](operations.md))' }),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'must be 1-64 letters, digits, "_", "." or "-"' })
    .default('anpi')
    .meta({ description: 'prefix of every Redis key (BullMQ queues too), so several deployments can share one Redis' }),

  PLATFORM_API_KEY: secret('the platform operator key').meta({
    section: 'Secrets',
    description: "required, 32+ characters: the platform operator's key (`/v1/tenants…`, `/v1/plans…`, the queue dashboard `/ops/queues`)",
  }),
  // GET /metrics (api and worker) answers only with this as a bearer token; unset: metrics are off (404).
  METRICS_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional().meta({
    description:
      "16+ characters: `GET /metrics` on the api and on the worker's port answers to `Authorization: Bearer <METRICS_TOKEN>`; unset, `/metrics` answers 404",
  }),
  JWT_SECRET: secret('signs access tokens').meta({ description: 'required, 32+ characters: signs access tokens' }),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt.max(86_400).default(900).meta({ section: 'Sessions and login', description: 'access token lifetime' }),
  REFRESH_TOKEN_TTL_DAYS: positiveInt.max(365).default(30).meta({ description: 'refresh token lifetime' }),
  LOGIN_MAX_FAILURES: positiveInt.default(5).meta({
    description:
      'failures from one address for one account before that address is refused for it; ' +
      'also, failures for one account from anywhere before other addresses are slowed',
  }),
  LOGIN_MAX_FAILURES_PER_IP: positiveInt.default(50).meta({ description: 'failures from one address (any account) before it is refused' }),
  LOGIN_FAILURE_WINDOW_SECONDS: positiveInt.default(900).meta({ description: 'how long failures count' }),
  LOGIN_SLOWDOWN_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(1000)
    .meta({ description: 'the pause before checking a password for an account under attack from elsewhere' }),

  ANPI_SECRETS_KEY: keyList('encrypts channel secrets at rest; "<id>:<32 bytes in base64>", newest first', (secret) =>
    Buffer.from(secret, 'base64').length === 32 ? null : 'each key must be 32 bytes, base64-encoded',
  ).meta({
    description: 'required: `<id>:<32 bytes in base64>`, comma-separated, newest first; seals channel secrets at rest (keys rotate: all open, the first seals)',
  }),
  ANSWER_TOKEN_KEYS: keyList('signs answer links; "<id>:<secret of 32+ characters>", newest first', (secret) =>
    secret.length >= 32 ? null : 'each secret must be at least 32 characters',
  ).meta({ description: 'required: `<id>:<secret of 32+ characters>`, comma-separated, newest first; signs answer links' }),
  ANSWER_LINK_TTL_DAYS: positiveInt.max(365).default(30).meta({ description: 'how long answer links (and short links) stay valid' }),

  LINE_API_BASE_URL: url(['http:', 'https:']).default('https://api.line.me').meta({ section: 'Providers', description: 'LINE Messaging API' }),
  LINE_CHANNEL_ID: z.string().min(1).optional().meta({ description: "the platform's shared official account (tenants may connect their own)" }),
  LINE_CHANNEL_SECRET: z.string().min(1).optional().meta({ description: 'its channel secret: checks webhook signatures' }),
  LINE_CHANNEL_ACCESS_TOKEN: z.string().min(1).optional().meta({ description: 'its long-lived channel access token' }),
  LINE_MULTICAST_RATE_PER_SECOND: positiveInt.default(200).meta({ description: 'multicast requests a second per channel' }),
  // The shared official account's basic id (its friend-add link and QR code in invitations).
  LINE_BASIC_ID: z
    .string()
    .regex(/^@[a-z0-9._-]{3,30}$/, { error: 'must be the basic id, "@" then letters and digits (e.g. @abc1234)' })
    .optional()
    .meta({ description: 'its basic id (`@…`): the friend-add link and QR code in invitations' }),
  LINE_ACCOUNT_LINK_URL: url(['http:', 'https:']).default('https://access.line.me/dialog/bot/accountLink').meta({ description: "LINE's account-link dialog" }),

  SMTP_URL: url(['smtp:', 'smtps:']).default('smtp://127.0.0.1:1025').meta({ description: 'the SMTP server (`smtps:` for TLS)' }),
  SMTP_POOL_SIZE: positiveInt.max(100).default(5).meta({ description: 'SMTP connections per send job' }),
  EMAIL_FROM_ADDRESS: z
    .email({ error: 'must be an email address' })
    .default('noreply@anpi.example')
    .meta({ description: "the platform's sender address (tenants may set their own)" }),
  EMAIL_FROM_NAME: z.string().min(1).default('安否確認 anpi').meta({ description: "the platform's sender name" }),
  EMAIL_RATE_PER_SECOND: positiveInt.default(50).meta({ description: 'SMTP messages a second per sender' }),
  // The platform's email providers: the primary, and the one its email fails over to (none: no failover).
  EMAIL_PROVIDER: z.enum(['smtp', 'sendgrid']).default('smtp').meta({ description: "the platform's email provider: `smtp` or `sendgrid` ([email](email.md))" }),
  EMAIL_SECONDARY_PROVIDER: z
    .enum(['none', 'smtp', 'sendgrid'])
    .default('none')
    .meta({ description: 'where email fails over to when the primary fails: `smtp`, `sendgrid` or `none`' }),
  SENDGRID_API_BASE_URL: url(['http:', 'https:']).default('https://api.sendgrid.com').meta({ description: 'SendGrid v3' }),
  SENDGRID_API_KEY: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "the platform's SendGrid account (Mail Send permission); required when either provider is `sendgrid`" }),
  // The Event Webhook's verification key (base64 DER, as SendGrid's settings page shows it).
  SENDGRID_WEBHOOK_PUBLIC_KEY: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "the Event Webhook's verification key (base64 DER, from SendGrid's Mail Settings); without it `/email/events/platform` answers 401" }),
  // Recipients per Mail Send request (at most 1,000, SendGrid's limit): also the most a lost response can repeat.
  SENDGRID_BATCH_SIZE: positiveInt
    .max(1000)
    .default(1000)
    .meta({ description: 'personalizations per Mail Send request (at most 1,000): also the most a lost response can repeat' }),
  SENDGRID_REQUESTS_PER_SECOND: positiveInt.default(50).meta({ description: 'Mail Send requests a second per account' }),
  // Failed primary requests in a row (timeouts, 5xx, refused credentials) before email goes through the
  // secondary, and how long before the primary is probed again.
  EMAIL_FAILOVER_THRESHOLD: positiveInt
    .max(100)
    .default(3)
    .meta({ description: 'failed primary requests in a row (timeouts, 5xx, refused credentials) before email goes through the secondary' }),
  EMAIL_FAILOVER_COOLDOWN_SECONDS: positiveInt.max(3600).default(60).meta({ description: 'how long before the failed primary is probed again' }),

  TWILIO_API_BASE_URL: url(['http:', 'https:']).default('https://api.twilio.com').meta({ description: 'Twilio REST API' }),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, { error: 'must be AC followed by 32 hex digits' })
    .optional()
    .meta({ description: "the platform's SMS account" }),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional().meta({ description: 'its auth token' }),
  TWILIO_FROM: z.string().min(1).optional().meta({ description: 'the sending number (or set `TWILIO_MESSAGING_SERVICE_SID`)' }),
  TWILIO_MESSAGING_SERVICE_SID: z
    .string()
    .regex(/^MG[0-9a-fA-F]{32}$/, { error: 'must be MG followed by 32 hex digits' })
    .optional()
    .meta({ description: 'a Messaging Service instead of a number' }),
  SMS_RATE_PER_SECOND: positiveInt.default(20).meta({ description: 'SMS requests a second' }),

  // LINE WORKS (API 2.0). Each tenant brings its own app and bot (channel settings); these are where they live.
  LINEWORKS_API_BASE_URL: url(['http:', 'https:'])
    .default('https://www.worksapis.com/v1.0')
    .meta({ description: 'LINE WORKS API 2.0 (tenants bring their own app and bot in channel settings)' }),
  LINEWORKS_AUTH_URL: url(['http:', 'https:'])
    .default('https://auth.worksmobile.com/oauth2/v2.0/token')
    .meta({ description: 'where Service Account JWTs are exchanged for access tokens' }),
  // Message requests a minute per tenant when its settings do not say: LINE WORKS allows 240 per API
  // operation on paid plans (60 on the free plan) and asks for half that for sends lasting over 30 minutes.
  LINEWORKS_RATE_PER_MINUTE: positiveInt
    .max(6000)
    .default(240)
    .meta({ description: 'message requests a minute per tenant when its settings do not say (LINE WORKS: 240 paid, 60 free; half for sends over 30 minutes)' }),

  DELIVERY_ATTEMPTS: positiveInt.max(20).default(6).meta({ section: 'Delivery', description: 'attempts of a send job on 5xx and timeouts' }),
  DELIVERY_BACKOFF_MS: positiveInt.default(1000).meta({ description: 'the first retry delay; exponential and jittered after it' }),
  PROVIDER_TIMEOUT_MS: positiveInt.default(10_000).meta({ description: 'how long a provider request may take' }),
  // LINE is what employees read first: for this long after a launch, the other channels'
  // deliveries are created (and sent) only once LINE has no batch pending (0 turns it off).
  LINE_HEAD_START_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(10_000)
    .meta({ description: 'LINE goes first for this long after a launch (`0` turns it off)' }),
  // Email and SMS go one message per request, 25 in flight per running job (which bounds repeats
  // after a crash): a few jobs in parallel keep the providers busy.
  SEND_CONCURRENCY_LINE: positiveInt.max(64).default(4).meta({ description: 'LINE send jobs in parallel per worker' }),
  SEND_CONCURRENCY_EMAIL: positiveInt.max(256).default(8).meta({ description: 'email send jobs in parallel per worker' }),
  SEND_CONCURRENCY_SMS: positiveInt.max(256).default(8).meta({ description: 'SMS send jobs in parallel per worker' }),
  SEND_CONCURRENCY_LINEWORKS: positiveInt.max(64).default(4).meta({ description: 'LINE WORKS send jobs in parallel per worker' }),
  // Jobs of the other queues each worker process runs at once (each queue its own setting).
  QUEUE_CONCURRENCY_BROADCASTS: positiveInt.max(64).default(4).meta({ description: 'launch and follow-up jobs in parallel per worker' }),
  QUEUE_CONCURRENCY_TALLIES: positiveInt.max(64).default(4).meta({ description: 'tally refresh jobs in parallel per worker' }),
  // LINE events wait on the database and on LINE's reply API, not on this process's CPU: a flood of
  // taps after an alert needs many in flight, or replies come after their reply tokens expire.
  QUEUE_CONCURRENCY_LINE_EVENTS: positiveInt
    .max(64)
    .default(16)
    .meta({ description: 'LINE and LINE WORKS event jobs in parallel per worker (billing and maintenance run one at a time)' }),
  QUEUE_LOCK_MS: positiveInt.min(1000).default(30_000).meta({ description: 'BullMQ job lock' }),
  // How long a "minute" of reminder and escalation policies lasts: 60000, or shorter in tests.
  REMINDER_MINUTE_MS: positiveInt.default(60_000).meta({ description: 'how long a "minute" of reminder and escalation policies is (shorter in tests)' }),
  QUEUE_STALLED_INTERVAL_MS: positiveInt
    .min(500)
    .default(30_000)
    .meta({ description: 'how often BullMQ looks for stalled jobs (a worker that died holding them)' }),

  // JMA's PULL-type Atom feeds (気象庁防災情報XML): polled by one worker at a time; 0 turns polling off.
  JMA_FEED_BASE_URL: url(['http:', 'https:']).default('https://www.data.jma.go.jp/developer/xml/feed').meta({
    section: 'JMA telegrams (automatic launch)',
    description: 'where `eqvol.xml`, `extra.xml` and their long versions are; tests and drills point it at a local server',
  }),
  JMA_POLL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3600)
    .default(20)
    .meta({ description: 'how often one worker polls the feeds; `0` turns polling off (and removes the schedule); telegrams can still be submitted by hand' }),
  // A telegram from the feed older than this (by its ReportDateTime) is stored but never launches:
  // catching up after downtime must not alert for a quake hours ago. Telegrams submitted by hand are exempt.
  JMA_MAX_TELEGRAM_AGE_MINUTES: positiveInt
    .max(24 * 60)
    .default(60)
    .meta({
      description:
        'a telegram from the feed reported longer ago than this is stored but never launches (catching up after downtime); ' +
        'telegrams submitted by hand are exempt',
    }),

  // The built console (npm run build writes it), served by the api at /console/.
  CONSOLE_DIR: z
    .string()
    .min(1)
    .default('dist/console')
    .meta({ section: 'Console', description: 'the built console (`npm run build` writes it), served at `/console/`; relative to the working directory' }),
});

export type ConfigValues = {
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  workerPort: number;
  publicBaseUrl: string;
  trustProxy: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Where the built console is (relative to the working directory, or absolute). */
  consoleDir: string;
  /** Owner connection: migrations and set-up only. */
  databaseUrl: string;
  /** The application's connection, as a role that row-level security applies to. */
  databaseAppUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  redisPrefix: string;
  platformApiKey: string;
  metricsToken?: string;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  loginMaxFailures: number;
  loginMaxFailuresPerIp: number;
  loginFailureWindowSeconds: number;
  /** The pause before checking a password for an account that failed too often from other addresses. */
  loginSlowdownMs: number;
  /** Newest first; the first encrypts, all decrypt. */
  secretsKeys: { id: string; key: Buffer }[];
  /** Newest first; the first signs, all verify. */
  answerTokenKeys: { id: string; secret: string }[];
  answerLinkTtlDays: number;
  line: {
    apiBaseUrl: string;
    channelId?: string;
    channelSecret?: string;
    accessToken?: string;
    multicastRatePerSecond: number;
    basicId?: string;
    accountLinkUrl: string;
  };
  email: {
    smtpUrl: string;
    poolSize: number;
    fromAddress: string;
    fromName: string;
    ratePerSecond: number;
    provider: 'smtp' | 'sendgrid';
    secondaryProvider: 'smtp' | 'sendgrid' | null;
    failoverThreshold: number;
    failoverCooldownMs: number;
  };
  sendgrid: { apiBaseUrl: string; apiKey?: string; webhookPublicKey?: string; batchSize: number; requestsPerSecond: number };
  sms: { apiBaseUrl: string; accountSid?: string; authToken?: string; from?: string; messagingServiceSid?: string; ratePerSecond: number };
  lineworks: { apiBaseUrl: string; authUrl: string; ratePerMinute: number };
  delivery: {
    attempts: number;
    backoffMs: number;
    providerTimeoutMs: number;
    lineHeadStartMs: number;
    concurrency: { line: number; email: number; sms: number; lineworks: number };
  };
  /** How long a job's lock lasts without renewal, and how often stalled jobs (their worker died) are taken back. */
  queue: { lockMs: number; stalledIntervalMs: number; concurrency: { broadcasts: number; tallies: number; lineEvents: number } };
  reminderMinuteMs: number;
  jma: { feedBaseUrl: string; pollSeconds: number; maxTelegramAgeMinutes: number };
};

/** Injection token and type of the validated configuration: the class is the DI token, the interface its shape. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- merging them is the point here
export abstract class AppConfig {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface AppConfig extends Readonly<ConfigValues> {}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment; throws a ConfigError naming every bad or missing variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const input = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '(environment)');
        const message = issue.code === 'invalid_type' && input[name] === undefined ? 'is required' : issue.message;
        return `${name}: ${message}`;
      }),
    );
  }
  const v = parsed.data;
  if ((v.EMAIL_PROVIDER === 'sendgrid' || v.EMAIL_SECONDARY_PROVIDER === 'sendgrid') && !v.SENDGRID_API_KEY) {
    throw new ConfigError(['SENDGRID_API_KEY: is required when EMAIL_PROVIDER or EMAIL_SECONDARY_PROVIDER is sendgrid']);
  }
  const values: ConfigValues = {
    nodeEnv: v.NODE_ENV,
    host: v.HOST,
    port: v.PORT,
    workerPort: v.WORKER_PORT,
    publicBaseUrl: v.PUBLIC_BASE_URL.replace(/\/+$/, ''),
    trustProxy: v.TRUST_PROXY,
    logLevel: v.LOG_LEVEL,
    databaseUrl: v.DATABASE_URL,
    databaseAppUrl: v.DATABASE_APP_URL ?? appUrlFrom(v.DATABASE_URL, v.DATABASE_APP_PASSWORD),
    databasePoolSize: v.DATABASE_POOL_SIZE,
    redisUrl: v.REDIS_URL,
    redisPrefix: v.REDIS_PREFIX,
    platformApiKey: v.PLATFORM_API_KEY,
    metricsToken: v.METRICS_TOKEN,
    jwtSecret: v.JWT_SECRET,
    accessTokenTtlSeconds: v.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: v.REFRESH_TOKEN_TTL_DAYS,
    loginMaxFailures: v.LOGIN_MAX_FAILURES,
    loginMaxFailuresPerIp: v.LOGIN_MAX_FAILURES_PER_IP,
    loginFailureWindowSeconds: v.LOGIN_FAILURE_WINDOW_SECONDS,
    loginSlowdownMs: v.LOGIN_SLOWDOWN_MS,
    secretsKeys: v.ANPI_SECRETS_KEY.map((k) => ({ id: k.id, key: Buffer.from(k.secret, 'base64') })),
    answerTokenKeys: v.ANSWER_TOKEN_KEYS,
    answerLinkTtlDays: v.ANSWER_LINK_TTL_DAYS,
    line: {
      apiBaseUrl: v.LINE_API_BASE_URL.replace(/\/+$/, ''),
      channelId: v.LINE_CHANNEL_ID,
      channelSecret: v.LINE_CHANNEL_SECRET,
      accessToken: v.LINE_CHANNEL_ACCESS_TOKEN,
      multicastRatePerSecond: v.LINE_MULTICAST_RATE_PER_SECOND,
      basicId: v.LINE_BASIC_ID,
      accountLinkUrl: v.LINE_ACCOUNT_LINK_URL,
    },
    email: {
      smtpUrl: v.SMTP_URL,
      poolSize: v.SMTP_POOL_SIZE,
      fromAddress: v.EMAIL_FROM_ADDRESS,
      fromName: v.EMAIL_FROM_NAME,
      ratePerSecond: v.EMAIL_RATE_PER_SECOND,
      provider: v.EMAIL_PROVIDER,
      secondaryProvider: v.EMAIL_SECONDARY_PROVIDER === 'none' || v.EMAIL_SECONDARY_PROVIDER === v.EMAIL_PROVIDER ? null : v.EMAIL_SECONDARY_PROVIDER,
      failoverThreshold: v.EMAIL_FAILOVER_THRESHOLD,
      failoverCooldownMs: v.EMAIL_FAILOVER_COOLDOWN_SECONDS * 1000,
    },
    sendgrid: {
      apiBaseUrl: v.SENDGRID_API_BASE_URL.replace(/\/+$/, ''),
      apiKey: v.SENDGRID_API_KEY,
      webhookPublicKey: v.SENDGRID_WEBHOOK_PUBLIC_KEY,
      batchSize: v.SENDGRID_BATCH_SIZE,
      requestsPerSecond: v.SENDGRID_REQUESTS_PER_SECOND,
    },
    sms: {
      apiBaseUrl: v.TWILIO_API_BASE_URL.replace(/\/+$/, ''),
      accountSid: v.TWILIO_ACCOUNT_SID,
      authToken: v.TWILIO_AUTH_TOKEN,
      from: v.TWILIO_FROM,
      messagingServiceSid: v.TWILIO_MESSAGING_SERVICE_SID,
      ratePerSecond: v.SMS_RATE_PER_SECOND,
    },
    lineworks: {
      apiBaseUrl: v.LINEWORKS_API_BASE_URL.replace(/\/+$/, ''),
      authUrl: v.LINEWORKS_AUTH_URL,
      ratePerMinute: v.LINEWORKS_RATE_PER_MINUTE,
    },
    delivery: {
      attempts: v.DELIVERY_ATTEMPTS,
      backoffMs: v.DELIVERY_BACKOFF_MS,
      providerTimeoutMs: v.PROVIDER_TIMEOUT_MS,
      lineHeadStartMs: v.LINE_HEAD_START_MS,
      concurrency: { line: v.SEND_CONCURRENCY_LINE, email: v.SEND_CONCURRENCY_EMAIL, sms: v.SEND_CONCURRENCY_SMS, lineworks: v.SEND_CONCURRENCY_LINEWORKS },
    },
    queue: {
      lockMs: v.QUEUE_LOCK_MS,
      stalledIntervalMs: v.QUEUE_STALLED_INTERVAL_MS,
      concurrency: { broadcasts: v.QUEUE_CONCURRENCY_BROADCASTS, tallies: v.QUEUE_CONCURRENCY_TALLIES, lineEvents: v.QUEUE_CONCURRENCY_LINE_EVENTS },
    },
    reminderMinuteMs: v.REMINDER_MINUTE_MS,
    consoleDir: v.CONSOLE_DIR,
    jma: {
      feedBaseUrl: v.JMA_FEED_BASE_URL.replace(/\/+$/, ''),
      pollSeconds: v.JMA_POLL_SECONDS,
      maxTelegramAgeMinutes: v.JMA_MAX_TELEGRAM_AGE_MINUTES,
    },
  };
  return Object.freeze(values) as AppConfig;
}

/** The application role's URL on the same server and database as the owner URL. */
export function appUrlFrom(ownerUrl: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = 'anpi_app';
  url.password = password;
  return url.toString();
}

/**
 * For process entry points: a configuration error stops the process with a message naming the
 * variables, not a stack trace.
 */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee docs/configuration.md for every variable.\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
