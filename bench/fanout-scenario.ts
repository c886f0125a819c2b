import pg from 'pg';
import { LineStandIn, SendgridStandIn, SmtpSink, TwilioStandIn } from '#anpi/stand-ins';
import { json, startService, type Service } from './support.js';

const TWILIO = { accountSid: `AC${'be0c'.repeat(8)}`, authToken: 'bench-twilio-auth-token-0123' };
const SENDGRID_KEY = 'SG.bench-stand-in-key.0123456789';

/** Which email provider the workers send with (and fail over to), and SendGrid's request size. */
export interface EmailSetup {
  provider: 'smtp' | 'sendgrid';
  secondary?: 'smtp' | 'sendgrid';
  batchSize?: number;
  requestsPerSecond?: number;
}

export interface FanoutResult {
  broadcastId: string;
  recipients: number;
  deliveries: Record<string, number>;
  /**
   * Seconds from the launch request until the channel's last message was accepted by its stand-in;
   * `all`: until the broadcast completed (every delivery recorded, none pending).
   */
  seconds: Record<string, number>;
  deliveriesPerSecond: number;
  /** Email deliveries accepted per second, launch request to the last email accepted. */
  emailPerSecond: number;
  /**
   * As the providers saw it, seconds from the launch request: LINE's last multicast accepted, and
   * SendGrid's first and last accepted request (absent with SMTP).
   */
  accepted: { lineFirst?: number; lineLast: number; emailFirst?: number; emailLast?: number };
  /**
   * The worker's stages, seconds from the launch request (from the broadcast's row): the recipients
   * snapshot committed (`launched_at`) and every channel's first-round deliveries created
   * (`deliveries_ready_at`).
   */
  stages?: { snapshotted: number; deliveriesCreated: number };
  /** LINE users reached per second, launch request to the last multicast accepted. */
  linePerSecond: number;
  email: Required<Pick<EmailSetup, 'provider' | 'batchSize'>>;
  /** SMS segments metered in the usage ledger (what the customer pays for), and per message. */
  smsSegments: number;
  smsSegmentsPerMessage: number;
  /** Worker processes (one per core by default), and the peak resident memory of each and of all. */
  workerProcesses: number;
  workerPeakRssMiB: number;
  workersPeakRssMiBTotal: number;
  violations: number;
}

/** The providers' stand-ins and production worker processes delivering to them. */
export interface DeliveryServices {
  line: LineStandIn;
  twilio: TwilioStandIn;
  smtp: SmtpSink;
  sendgrid: SendgridStandIn;
  email: Required<Pick<EmailSetup, 'provider' | 'batchSize'>> & EmailSetup;
  /** The first worker process (the one the faults test kills). */
  worker: Service;
  /** Every worker process: production runs one per core, all on the same queues. */
  workers: Service[];
  /** Starts another worker process like the first (after a crash), and makes it `worker`. */
  startWorker(): Promise<Service>;
  stop(): Promise<void>;
}

export async function startDeliveryServices(env: Record<string, string>, options: { workers?: number; email?: EmailSetup } = {}): Promise<DeliveryServices> {
  const [line, twilio, smtp, sendgrid] = await Promise.all([
    LineStandIn.start(),
    TwilioStandIn.start({ [TWILIO.accountSid]: TWILIO.authToken }),
    SmtpSink.start(0, { parse: false }),
    SendgridStandIn.start([SENDGRID_KEY], 0, { bodies: false }),
  ]);
  const email = { provider: 'sendgrid' as const, batchSize: 1000, ...options.email };
  const workerEnv = {
    ...env,
    LINE_API_BASE_URL: line.url,
    LINE_CHANNEL_ACCESS_TOKEN: 'bench-line-token',
    TWILIO_API_BASE_URL: twilio.url,
    TWILIO_ACCOUNT_SID: TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TWILIO.authToken,
    TWILIO_FROM: '+15005550006',
    SMTP_URL: smtp.url,
    SMS_RATE_PER_SECOND: '10000',
    EMAIL_RATE_PER_SECOND: '10000',
    SENDGRID_API_BASE_URL: sendgrid.url,
    SENDGRID_API_KEY: SENDGRID_KEY,
    EMAIL_PROVIDER: email.provider,
    EMAIL_SECONDARY_PROVIDER: email.secondary ?? 'none',
    SENDGRID_BATCH_SIZE: String(email.batchSize),
    SENDGRID_REQUESTS_PER_SECOND: String(email.requestsPerSecond ?? 1000),
  };
  const workers = await Promise.all(Array.from({ length: Math.max(1, options.workers ?? 1) }, () => startService('worker', workerEnv)));
  const services: DeliveryServices = {
    line,
    twilio,
    smtp,
    sendgrid,
    email,
    worker: workers[0]!,
    workers,
    async startWorker() {
      services.worker = await startService('worker', workerEnv);
      services.workers.push(services.worker);
      return services.worker;
    },
    async stop() {
      await Promise.all(services.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null).map((w) => w.stop()));
      await Promise.all([line.close(), twilio.close(), smtp.close(), sendgrid.close()]);
    },
  };
  return services;
}

/**
 * One alert to the whole tenant: 70% of employees LINE-linked, every one with an email, half
 * with a mobile. Production worker processes deliver to the LINE, Twilio and SendGrid stand-ins
 * (or an SMTP sink) in this process; the clock runs from the launch request to the last acceptance.
 */
export async function fanoutScenario(
  api: Service,
  env: Record<string, string>,
  token: string,
  tenantId: string,
  services: DeliveryServices,
): Promise<FanoutResult> {
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  await db.query(
    `UPDATE employees e SET line_user_id = 'U' || lpad(to_hex(n.i), 32, '0'), line_status = 'linked', line_linked_at = now(), line_channel_key = 'platform'
     FROM (SELECT id, row_number() OVER (ORDER BY code) AS i FROM employees WHERE tenant_id = $1) n
     WHERE e.id = n.id AND n.i % 10 < 7`,
    [tenantId],
  );
  const { line, twilio, workers } = services;
  try {
    const multicastsBefore = line.multicasts.length;
    const emailRequestsBefore = services.sendgrid.requests.length;
    const emailsBefore = services.smtp.received.length;
    const smsBefore = twilio.messages.length;
    const startedAt = Date.now();
    const { id } = await json<{ id: string }>(
      await fetch(`${api.url}/v1/broadcasts`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ templateId: 'preset:earthquake', targets: { all: true } }),
      }),
    );
    // Done when the broadcast completes (every delivery exists and none is pending: the product's
    // own test, anpi_deliveries_pending). One primary-key read every 100 ms: the clock must not load
    // the database it is timing (probing each channel's pending rows cost PostgreSQL 4% of the run).
    const deadline = Date.now() + 40 * 60_000;
    let completedAt: Date | null = null;
    while (!completedAt) {
      const { rows } = await db.query<{ completed_at: Date | null }>('SELECT completed_at FROM broadcasts WHERE id = $1', [id]);
      completedAt = rows[0]?.completed_at ?? null;
      if (Date.now() > deadline) throw new Error('fan-out not done in 40 minutes');
      if (!completedAt) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const total = round((completedAt.getTime() - startedAt) / 1000);
    const counts = await db.query<{ channel: string; n: number }>(
      `SELECT channel::text, count(*)::int AS n FROM deliveries WHERE broadcast_id = $1 AND state = 'sent' GROUP BY 1`,
      [id],
    );
    const deliveries = Object.fromEntries(counts.rows.map((r) => [r.channel, r.n]));
    const row = (
      await db.query<{ n: number; launched_at: Date; deliveries_ready_at: Date }>(
        'SELECT recipient_count AS n, launched_at, deliveries_ready_at FROM broadcasts WHERE id = $1',
        [id],
      )
    ).rows[0]!;
    const recipients = row.n;
    const stages = {
      snapshotted: round((row.launched_at.getTime() - startedAt) / 1000),
      deliveriesCreated: round((row.deliveries_ready_at.getTime() - startedAt) / 1000),
    };
    const sent = Object.values(deliveries).reduce((a, b) => a + b, 0);
    const multicasts = line.multicasts.slice(multicastsBefore);
    const lineLast = round((Math.max(...multicasts.map((m) => m.at.getTime())) - startedAt) / 1000);
    const lineFirst = round((Math.min(...multicasts.map((m) => m.at.getTime())) - startedAt) / 1000);
    const lineUsers = multicasts.reduce((n, m) => n + m.to.length, 0);
    const emailTimes =
      services.email.provider === 'sendgrid'
        ? services.sendgrid.requests
            .slice(emailRequestsBefore)
            .filter((r) => r.status === 202)
            .map((r) => r.at)
        : services.smtp.received.slice(emailsBefore).map((m) => m.at.getTime());
    const smsTimes = twilio.messages.slice(smsBefore).map((m) => m.at.getTime());
    const secondsTo = (at: number) => round((at - startedAt) / 1000);
    const accepted = {
      lineFirst,
      lineLast,
      ...(emailTimes.length && { emailFirst: secondsTo(least(emailTimes)), emailLast: secondsTo(greatest(emailTimes)) }),
    };
    // Each channel's time is its provider's last acceptance (as a customer sees it).
    const seconds: Record<string, number> = {
      line: lineLast,
      ...(emailTimes.length && { email: secondsTo(greatest(emailTimes)) }),
      ...(smsTimes.length && { sms: secondsTo(greatest(smsTimes)) }),
    };
    const segments = (
      await db.query<{ n: number }>(`SELECT coalesce(sum(units), 0)::int AS n FROM usage_ledger WHERE broadcast_id = $1 AND channel = 'sms'`, [id])
    ).rows[0]!.n;
    return {
      broadcastId: id,
      recipients,
      deliveries,
      seconds: { ...seconds, all: total },
      deliveriesPerSecond: Math.round(sent / total),
      emailPerSecond: seconds.email ? Math.round((deliveries.email ?? 0) / seconds.email) : 0,
      accepted,
      stages,
      linePerSecond: Math.round(lineUsers / lineLast),
      email: { provider: services.email.provider, batchSize: services.email.batchSize },
      smsSegments: segments,
      smsSegmentsPerMessage: deliveries.sms ? round(segments / deliveries.sms) : 0,
      workerProcesses: workers.length,
      workerPeakRssMiB: round(Math.max(...workers.map((w) => w.peakRssMiB()))),
      workersPeakRssMiBTotal: round(workers.reduce((sum, w) => sum + w.peakRssMiB(), 0)),
      violations: line.violations.length + twilio.violations.length + services.sendgrid.violations.length,
    };
  } finally {
    await db.end();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The largest and smallest of many numbers (a spread of 100,000 arguments can overflow the stack). */
function greatest(values: number[]): number {
  return values.reduce((a, b) => (b > a ? b : a), -Infinity);
}

function least(values: number[]): number {
  return values.reduce((a, b) => (b < a ? b : a), Infinity);
}
