import { readFileSync } from 'node:fs';
import request from 'supertest';
import { parse } from 'yaml';
import { PLATFORM_KEY } from './support/test-config.js';
import { answerLinks, submissionKey } from './support/answer-links.js';
import { bearer, DirectoryFactory, Factory, linkLine, lineUserId, type TenantWithAdmin } from './support/factories.js';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';
import { eventually } from './support/eventually.js';
import { parsePrometheus, total, type Sample } from './support/prometheus.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** GET /metrics on the api and the worker after a small alert: the series exist and agree with what the stand-ins received. */
describe('metrics', () => {
  let h: DeliveryHarness;
  let owner: TenantWithAdmin;
  let broadcastId: string;
  let answerPath: string;

  beforeAll(async () => {
    // JMA polling on (though no schedule runs here): the worker reports when the feed was last polled.
    h = await startDeliveryHarness({ METRICS_TOKEN, JMA_POLL_SECONDS: '60' });
    owner = await new Factory(h.api).tenantWithAdmin();
    const directory = new DirectoryFactory(h.api, owner);
    for (let i = 1; i <= 3; i++) {
      const e = await directory.employee({ code: `M${i}`, name: `計測 ${i}`, emails: [`m${i}@example.jp`], mobiles: [`090-0000-000${i}`] });
      if (i <= 2) await linkLine(h.api, e.id, lineUserId(100 + i));
    }
    const res = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(bearer(owner.admin.accessToken))
      .send({ templateId: 'preset:earthquake', channels: ['line', 'email', 'sms'], targets: { all: true } })
      .expect(202);
    broadcastId = res.body.id;
    await waitForBroadcast(h.api, owner.admin.accessToken, broadcastId);
    answerPath = (await answerLinks(h.api, broadcastId)).M1!;
    const key = submissionKey((await h.api.http().get(answerPath).expect(200)).text);
    const form = { 'q.self': 'safe', 'q.family': 'all_safe', 'q.home': 'no_damage', 'q.work': 'yes', k: key };
    await h.api.http().post(answerPath).type('form').send(form).expect(200);
    await h.api.http().post(answerPath).type('form').send(form).expect(200);
    await h.api.http().post('/a/not-a-real-token-at-all').type('form').send(form);
  }, 60_000);
  afterAll(() => h.close());

  const scrape = async (server: Parameters<typeof request>[0]): Promise<{ text: string; samples: Sample[] }> => {
    const res = await request(server).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return { text: res.text, samples: parsePrometheus(res.text) };
  };
  const api = () => scrape(h.api.app.getHttpServer());
  const worker = () => scrape(h.worker!.getHttpServer());

  it('is refused without the token, and with a wrong one', async () => {
    for (const server of [h.api.app.getHttpServer(), h.worker!.getHttpServer()]) {
      expect((await request(server).get('/metrics').expect(401)).body.message).toMatch(/METRICS_TOKEN/);
      await request(server)
        .get('/metrics')
        .set('Authorization', `Bearer ${'x'.repeat(METRICS_TOKEN.length)}`)
        .expect(401);
      await request(server).get('/metrics').set('Authorization', `Bearer ${PLATFORM_KEY}`).expect(401);
    }
  });

  it('worker: deliveries sent by channel equal what LINE, SMTP and Twilio received', async () => {
    const { samples } = await worker();
    const lineReceived = h.line.multicasts.reduce((n, m) => n + m.to.length, 0);
    expect(lineReceived).toBe(2);
    expect(total(samples, 'anpi_deliveries_total', { channel: 'line', state: 'sent' })).toBe(lineReceived);
    expect(total(samples, 'anpi_deliveries_total', { channel: 'email', state: 'sent', provider: 'smtp' })).toBe(h.smtp.received.length);
    expect(h.smtp.received.length).toBe(3);
    expect(total(samples, 'anpi_deliveries_total', { channel: 'sms', state: 'sent', provider: 'twilio' })).toBe(h.twilio.messages.length);
    expect(h.twilio.messages.length).toBe(3);
    expect(total(samples, 'anpi_deliveries_total', { state: 'failed' })).toBe(0);
  });

  it('worker: job durations, queue depths, tally lag, the database pool, the event loop and the heap', async () => {
    const { samples } = await worker();
    expect(total(samples, 'anpi_job_duration_seconds_count', { queue: 'broadcasts', job: 'broadcast.launch', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(total(samples, 'anpi_job_duration_seconds_count', { queue: 'deliveries-line', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    for (const state of ['waiting', 'active', 'delayed', 'failed']) {
      expect(samples.some((s) => s.name === 'anpi_queue_jobs' && s.labels.queue === 'deliveries-email' && s.labels.state === state)).toBe(true);
    }
    expect(total(samples, 'anpi_queue_jobs', { queue: 'deliveries-line', state: 'failed' })).toBe(0);
    await eventually(async () => total((await worker()).samples, 'anpi_tally_refresh_lag_seconds_count') >= 1, 'a tally refresh');
    expect(samples.some((s) => s.name === 'anpi_db_pool_connections' && s.labels.state === 'waiting')).toBe(true);
    expect(total(samples, 'anpi_db_pool_connections', { state: 'idle' }) + total(samples, 'anpi_db_pool_connections', { state: 'in_use' })).toBeGreaterThan(0);
    expect(total(samples, 'anpi_nodejs_eventloop_lag_p99_seconds')).toBeGreaterThan(0);
    expect(total(samples, 'anpi_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('api: answers by outcome, and request durations by route template and status', async () => {
    const { samples } = await api();
    expect(total(samples, 'anpi_answers_total', { source: 'self', outcome: 'recorded' })).toBe(1);
    expect(total(samples, 'anpi_answers_total', { source: 'self', outcome: 'duplicate' })).toBe(1);
    expect(total(samples, 'anpi_answers_total', { source: 'self', outcome: 'bad_link' })).toBe(1);
    expect(total(samples, 'anpi_http_request_duration_seconds_count', { method: 'GET', route: '/a/:token', status: '200' })).toBe(1);
    expect(total(samples, 'anpi_http_request_duration_seconds_count', { method: 'POST', route: '/a/:token', status: '200' })).toBe(2);
    expect(total(samples, 'anpi_http_request_duration_seconds_count', { method: 'POST', route: '/v1/broadcasts', status: '202' })).toBe(1);
    expect(total(samples, 'anpi_http_request_duration_seconds_count', { route: '/v1/broadcasts/:id', status: '200' })).toBeGreaterThan(0);
  });

  it('worker: provider errors by kind, and the time spent waiting as a provider asked', async () => {
    h.line.fail({ status: 500, times: 1 });
    h.twilio.fail({ status: 429, times: 1, retryAfter: 1 });
    const res = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(bearer(owner.admin.accessToken))
      .send({ templateId: 'preset:earthquake', channels: ['line', 'sms'], targets: { all: true } })
      .expect(202);
    await waitForBroadcast(h.api, owner.admin.accessToken, res.body.id);
    const { samples } = await worker();
    expect(total(samples, 'anpi_provider_errors_total', { channel: 'line', kind: 'transient' })).toBe(1);
    expect(total(samples, 'anpi_provider_errors_total', { channel: 'sms', kind: 'throttled' })).toBe(1);
    expect(total(samples, 'anpi_provider_throttle_wait_seconds_total', { channel: 'sms' })).toBeGreaterThanOrEqual(1);
    expect(total(samples, 'anpi_deliveries_total', { channel: 'sms', state: 'sent' })).toBe(h.twilio.messages.length);
    expect(total(samples, 'anpi_deliveries_total', { channel: 'line', state: 'sent' })).toBe(h.line.multicasts.reduce((n, m) => n + m.to.length, 0));
  }, 30_000);

  it('worker: when the JMA feed was last polled (by any worker), for the poller-silent alert', async () => {
    // Never polled reads as 0, which the alert treats as long ago.
    expect(total((await worker()).samples, 'anpi_jma_last_poll_timestamp_seconds')).toBe(0);
    await h.api.owner(`INSERT INTO jma_feed_state (feed, polled_at) VALUES ('eqvol', to_timestamp(1796000000))`);
    const { samples } = await worker();
    expect(total(samples, 'anpi_jma_last_poll_timestamp_seconds')).toBe(1796000000);
    expect(total(samples, 'anpi_jma_poll_interval_seconds')).toBe(60);
  });

  it('ops/: the alert rules and the Grafana dashboard name only series these processes serve', async () => {
    const served = new Set(['up']);
    for (const { text } of [await api(), await worker()]) {
      for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
        served.add(name!);
        if (type === 'histogram') for (const suffix of ['_bucket', '_count', '_sum']) served.add(`${name}${suffix}`);
      }
    }
    const rules = parse(readFileSync('ops/prometheus/alerts.yml', 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
    const dashboard = JSON.parse(readFileSync('ops/grafana/anpi-dashboard.json', 'utf8')) as { panels: { targets?: { expr: string }[] }[] };
    const expressions = [...rules.groups.flatMap((g) => g.rules.map((r) => r.expr)), ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr))];
    expect(expressions.length).toBeGreaterThan(30);
    const named = new Set(expressions.flatMap((e) => [...e.matchAll(/\banpi_\w+/g)].map((m) => m[0])));
    expect([...named].filter((n) => !served.has(n))).toEqual([]);
    expect(named.size).toBeGreaterThan(12);
    const alerts = rules.groups.flatMap((g) => g.rules.map((r) => r.alert));
    expect(alerts).toEqual(
      expect.arrayContaining([
        'AnpiQueueBacklogGrowing',
        'AnpiProviderFailing',
        'AnpiProviderThrottling',
        'AnpiAnswerPageErrors',
        'AnpiTallyLagging',
        'AnpiNoWorker',
        'AnpiJmaPollerSilent',
      ]),
    );
  });

  it('names no tenant, broadcast, token, address or phone number, in either process', async () => {
    const recipients = (await h.api.owner('SELECT id FROM recipients WHERE broadcast_id = $1', [broadcastId])).rows.map((r) => r.id as string);
    for (const { text } of [await api(), await worker()]) {
      for (const secret of [owner.tenant.id, broadcastId, ...recipients, answerPath.slice(3), 'not-a-real-token', '@example.jp', '090-0000', lineUserId(101)]) {
        expect(text).not.toContain(secret);
      }
    }
  });
});

describe('metrics without METRICS_TOKEN', () => {
  let h: DeliveryHarness;
  beforeAll(async () => (h = await startDeliveryHarness({}, { worker: false })));
  afterAll(() => h.close());

  it('are not served at all', async () => {
    const res = await h.api.http().get('/metrics').set('Authorization', 'Bearer anything-at-all-0123').expect(404);
    expect(res.body.message).toMatch(/METRICS_TOKEN/);
  });
});
