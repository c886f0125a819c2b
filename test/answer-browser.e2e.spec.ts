import { freePort } from '#anpi/processes';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { bearer, DirectoryFactory, Factory, type TenantWithAdmin } from './support/factories.js';
import { CHROMIUM, CHROMIUM_FLAGS, chromiumAvailable } from './support/browser.js';
import { startDeliveryHarness, waitForBroadcast, type DeliveryHarness } from './support/delivery-harness.js';

const ARTIFACTS = 'test/artifacts';

/**
 * A real browser on a phone-sized screen answers from the link of a real delivered email: once in
 * Japanese, once in English. CI installs Debian's chromium (.ci/run); elsewhere without it, this
 * file says so and stops.
 */
(chromiumAvailable() ? describe : describe.skip)('answering in a real browser', () => {
  let h: DeliveryHarness;
  let owner: TenantWithAdmin;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    h = await startDeliveryHarness({ PUBLIC_BASE_URL: `http://127.0.0.1:${port}` });
    await h.api.app.listen(port, '127.0.0.1');
    owner = await new Factory(h.api).tenantWithAdmin();
    const dir = new DirectoryFactory(h.api, owner);
    await dir.employee({ code: 'B1', name: '山田 太郎', emails: ['yamada@example.jp'] });
    await dir.employee({ code: 'B2', name: 'Alex Brown', emails: ['alex@example.jp'], locale: 'en' });
    const res = await h.api
      .http()
      .post('/v1/broadcasts')
      .set(bearer(owner.admin.accessToken))
      .send({ templateId: 'preset:earthquake', channels: ['email'], targets: { all: true } })
      .expect(202);
    await waitForBroadcast(h.api, owner.admin.accessToken, res.body.id);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  function linkFromEmail(address: string): string {
    const mail = h.smtp.to(address).at(-1);
    const link = /http:\/\/127\.0\.0\.1:\d+\/a\/[A-Za-z0-9_-]{71}/.exec(mail?.text ?? '')?.[0];
    if (!link) throw new Error(`no answer link in the email to ${address}`);
    return link;
  }

  it('opens the link from the email, answers in Japanese and sees the confirmation', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
    await page.goto(linkFromEmail('yamada@example.jp'));
    await page.screenshot({ path: `${ARTIFACTS}/answer-ja-1-form.png`, fullPage: true });
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    await page.getByRole('group', { name: /本人/ }).getByLabel('軽傷').check();
    await page.getByRole('group', { name: /家族/ }).getByLabel('全員無事').check();
    await page.getByRole('group', { name: /家屋/ }).getByLabel('一部損壊').check();
    await page.getByRole('group', { name: /出社/ }).getByLabel('未定').check();
    await page.getByLabel(/メッセージ/).fill('足を少し切りました。自宅にいます。');
    await page.getByRole('button', { name: '回答する' }).click();
    await page.getByText('回答を受け付けました').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/answer-ja-2-confirmation.png`, fullPage: true });
    expect(await page.locator('dl').innerText()).toContain('軽傷');
    const row = await h.api.owner("SELECT choices, message FROM recipients WHERE employee_code = 'B1'");
    expect(row.rows[0]).toEqual({
      choices: { self: 'minor_injury', family: 'all_safe', home: 'partial', work: 'undecided' },
      message: '足を少し切りました。自宅にいます。',
    });
    await page.close();
  });

  it('works in English for an English-speaking employee, and points out what is missing', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
    await page.goto(linkFromEmail('alex@example.jp'));
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('group', { name: /You/ }).getByLabel('Safe').check();
    // Submitted without the browser's own checks, the server names what is missing.
    await page.locator('form').evaluate((form) => form.setAttribute('novalidate', ''));
    await page.getByRole('button', { name: 'Send my answer' }).click();
    await page.getByText('Please check your answers').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/answer-en-1-errors.png`, fullPage: true });
    expect(await page.locator('#err-family').innerText()).toBe('Please answer this question');
    await page
      .getByRole('group', { name: /Family/ })
      .getByLabel('All safe')
      .check();
    await page.getByRole('group', { name: /Home/ }).getByLabel('No damage').check();
    await page
      .getByRole('group', { name: /Coming to work/ })
      .getByLabel('Can come')
      .check();
    await page.getByRole('button', { name: 'Send my answer' }).click();
    await page.getByText('Your answer has been received').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/answer-en-2-confirmation.png`, fullPage: true });
    await page.close();
  });
});
