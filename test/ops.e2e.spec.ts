import { mkdirSync } from 'node:fs';
import { Queue, Worker } from 'bullmq';
import { chromium } from 'playwright-core';
import { freePort } from '#anpi/processes';
import { CHROMIUM, CHROMIUM_FLAGS, chromiumAvailable } from './support/browser.js';
import { PLATFORM_KEY } from './support/test-config.js';
import { bearer, DirectoryFactory, Factory, lineUserId, type TenantWithAdmin } from './support/factories.js';
import { startDeliveryHarness, type DeliveryHarness } from './support/delivery-harness.js';
import { eventually } from './support/eventually.js';

const basic = (password: string) => `Basic ${Buffer.from(`operator:${password}`).toString('base64')}`;

/** The queue dashboard at /ops/queues (platform operator only, payloads redacted) and the headers every response carries. */
describe('operations', () => {
  let h: DeliveryHarness;
  let owner: TenantWithAdmin;
  let connection: { url: string };
  let prefix: string;

  beforeAll(async () => {
    // No worker: the jobs stay in their queues for the dashboard to show.
    h = await startDeliveryHarness({}, { worker: false });
    owner = await new Factory(h.api).tenantWithAdmin();
    await new DirectoryFactory(h.api, owner).employee({ code: 'O1', name: '運用 一郎', emails: ['o1@example.jp'] });
    connection = { url: h.api.config.redisUrl };
    prefix = `${h.api.config.redisPrefix}:bull`;
  });
  afterAll(() => h.close());

  describe('the queue dashboard', () => {
    it('refuses without the platform operator key, with a wrong one, and with a tenant admin token', async () => {
      const none = await h.api.http().get('/ops/queues').expect(401);
      expect(none.headers['www-authenticate']).toMatch(/^Basic realm="anpi operations"/);
      expect(none.body).toMatchObject({ code: 'platform_key_required' });
      await h.api.http().get('/ops/queues/api/queues').set('Authorization', basic('wrong-key')).expect(401);
      await h.api.http().get('/ops/queues/api/queues').set(bearer(owner.admin.accessToken)).expect(401);
      await h.api.http().put('/ops/queues/api/queues/line/retry/failed').expect(401);
      await h.api.http().get('/ops/queues/static/js/does-not-matter.js').expect(401);
    });

    it('opens with the key as Basic password (a browser asks for it) or as a bearer token', async () => {
      const page = await h.api.http().get('/ops/queues').set('Authorization', basic(PLATFORM_KEY)).expect(200);
      expect(page.text).toContain('<div id="root">');
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      const queues = await h.api.http().get('/ops/queues/api/queues').set(bearer(PLATFORM_KEY)).expect(200);
      const names = queues.body.queues.map((q: { name: string }) => q.name);
      expect(names).toEqual(
        expect.arrayContaining(['broadcasts', 'deliveries-line', 'deliveries-email', 'deliveries-sms', 'deliveries-lineworks', 'tallies', 'line', 'jma']),
      );
    });

    it('shows payloads without personal data or tokens', async () => {
      const res = await h.api
        .http()
        .post('/v1/broadcasts')
        .set(bearer(owner.admin.accessToken))
        .send({ templateId: 'preset:earthquake', channels: ['email'], targets: { all: true } })
        .expect(202);
      const line = new Queue('line', { connection, prefix });
      const userId = lineUserId(7);
      await line.add('line.event', {
        channelKey: 'platform',
        event: {
          type: 'message',
          replyToken: 'reply-token-abcdefghijklmnopqrstuvwxyz012345',
          source: { userId },
          message: { type: 'text', text: '家が倒壊しました' },
        },
      });
      await line.add('line.link-code', { tenantId: owner.tenant.id, employeeId: 'e-1', code: '482913' });
      await line.close();

      const lineJobs = await h.api.http().get('/ops/queues/api/queues?activeQueue=line&status=waiting').set(bearer(PLATFORM_KEY)).expect(200);
      const shown = lineJobs.body.queues.find((q: { name: string }) => q.name === 'line');
      expect(shown.jobs.map((j: { data: unknown }) => j.data)).toEqual(
        expect.arrayContaining([
          { channelKey: 'platform', event: { type: 'message' } },
          { tenantId: owner.tenant.id, employeeId: 'e-1', code: '[redacted]' },
        ]),
      );
      for (const secret of [userId, '家が倒壊', 'reply-token', '482913']) expect(lineJobs.text).not.toContain(secret);

      const launches = await h.api.http().get('/ops/queues/api/queues?activeQueue=broadcasts&status=latest').set(bearer(PLATFORM_KEY)).expect(200);
      const launch = launches.body.queues
        .find((q: { name: string }) => q.name === 'broadcasts')
        .jobs.find((j: { data: { broadcastId?: string } }) => j.data.broadcastId === res.body.id);
      expect(launch.data).toEqual({ tenantId: owner.tenant.id, broadcastId: res.body.id });
    });

    it('retries a failed job, masking addresses and numbers in its failure; refuses to add, edit or empty', async () => {
      const queue = new Queue('billing', { connection, prefix });
      try {
        const job = await queue.add('billing.check-usage', { tenantId: owner.tenant.id, month: '2026-12' }, { attempts: 1 });
        const worker = new Worker(
          'billing',
          async () => {
            throw new Error('could not notify owner@example.co.jp or +81 90-1234-5678');
          },
          { connection, prefix },
        );
        await eventually(async () => (await queue.getJobState(job.id!)) === 'failed', 'the job to fail');
        await worker.close();

        const failed = await h.api.http().get('/ops/queues/api/queues?activeQueue=billing&status=failed').set(bearer(PLATFORM_KEY)).expect(200);
        const shown = failed.body.queues.find((q: { name: string }) => q.name === 'billing').jobs.find((j: { id: string }) => j.id === job.id);
        expect(shown.failedReason).toBe('could not notify [email] or [number]');
        expect(failed.text).not.toContain('owner@example.co.jp');
        expect(failed.text).not.toContain('1234-5678');

        await h.api.http().put(`/ops/queues/api/queues/billing/${job.id}/retry`).set(bearer(PLATFORM_KEY)).expect(204);
        expect(await queue.getJobState(job.id!)).toBe('waiting');

        const add = await h.api.http().post('/ops/queues/api/queues/billing/add').set(bearer(PLATFORM_KEY)).send({ name: 'x', data: {} }).expect(403);
        expect(add.body).toMatchObject({ code: 'operation_not_allowed' });
        await h.api.http().patch(`/ops/queues/api/queues/billing/${job.id}/update-data`).set(bearer(PLATFORM_KEY)).send({ jobData: {} }).expect(403);
        await h.api.http().put('/ops/queues/api/queues/billing/empty').set(bearer(PLATFORM_KEY)).expect(403);
        await h.api.http().put('/ops/queues/api/queues/billing/obliterate').set(bearer(PLATFORM_KEY)).expect(403);
        expect(await queue.getJobState(job.id!)).toBe('waiting');
      } finally {
        await queue.close();
      }
    });
  });

  (chromiumAvailable() ? it : it.skip)(
    'in a browser: the key as the Basic password opens the board and its queues',
    async () => {
      const port = await freePort();
      await h.api.app.listen(port, '127.0.0.1');
      const maintenance = new Queue('maintenance', { connection, prefix });
      await maintenance.add('accounts.purge-expired-refresh-tokens', {});
      await maintenance.close();
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
      try {
        const context = await browser.newContext({ httpCredentials: { username: 'operator', password: PLATFORM_KEY } });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('response', (r) => void (r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`)));
        await page.goto(`http://127.0.0.1:${port}/ops/queues`);
        await page.getByText('deliveries-line').first().waitFor();
        await page.getByText('deliveries-lineworks').first().waitFor();
        mkdirSync('test/artifacts/ops', { recursive: true });
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.screenshot({ path: 'test/artifacts/ops/queues-desktop.png', fullPage: true });
        await page.getByText('maintenance', { exact: true }).first().click();
        await page.getByText('accounts.purge-expired-refresh-tokens').first().waitFor();
        await page.screenshot({ path: 'test/artifacts/ops/queue-maintenance-desktop.png', fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );

  describe('security headers', () => {
    const common = (headers: Record<string, string>) => {
      expect(headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
        'cross-origin-opener-policy': 'same-origin',
      });
      expect(headers['strict-transport-security']).toMatch(/max-age=31536000/);
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(headers['x-powered-by']).toBeUndefined();
    };

    it('on the API, its errors, health, the docs, the console and the answer page, each with its own policy', async () => {
      const json = await h.api.http().get('/v1/settings').set(bearer(owner.admin.accessToken)).expect(200);
      common(json.headers);
      expect(json.headers['content-security-policy']).toContain("default-src 'none'");
      common((await h.api.http().get('/v1/nothing-here').expect(404)).headers);
      common((await h.api.http().get('/v1/settings').expect(401)).headers);
      common((await h.api.http().get('/healthz').expect(200)).headers);
      const docs = await h.api.http().get('/docs/').expect(200);
      common(docs.headers);
      expect(docs.headers['content-security-policy']).toContain("script-src 'self'");
      const console = await h.api.http().get('/console/');
      common(console.headers);
      expect(console.headers['content-security-policy']).toContain("connect-src 'self'");

      const page = await h.api.http().get('/a/not-a-real-answer-token');
      expect(page.status).toBeGreaterThanOrEqual(400);
      common(page.headers);
      expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'unsafe-inline'/);
    });
  });
});
