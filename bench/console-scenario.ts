import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
];

export interface ConsoleTallyResult {
  recipients: number;
  /** From opening the broadcast's page (logged in) to its tally showing every recipient. */
  secondsToTally: number;
  /** Main-thread tasks over 50 ms while the page loaded and a department branch was opened. */
  longestTaskMs: number;
  blockingMs: number;
  /** From a click on a top-level department's toggle to its children on screen. */
  expandMs: number;
}

/**
 * The console's tally screen on the benchmark's broadcast (every recipient answered, ~1,000
 * departments), in Chromium at phone size: does the page keep up without freezing? Long tasks
 * are collected by a PerformanceObserver injected before the page's own scripts.
 */
export async function consoleScenario(
  baseUrl: string,
  login: { tenant: string; email: string; password: string },
  broadcastId: string,
  recipients: number,
): Promise<ConsoleTallyResult | null> {
  if (!existsSync(CHROMIUM)) return null;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  try {
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' })).newPage();
    await page.addInitScript(`
      window.__longTasks = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
        .observe({ type: 'longtask', buffered: true });
    `);
    await page.goto(`${baseUrl}/console/`);
    await page.getByLabel('企業コード').fill(login.tenant);
    await page.getByLabel('メールアドレス').fill(login.email);
    await page.getByLabel('パスワード').fill(login.password);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.getByRole('button', { name: 'ログアウト' }).waitFor({ timeout: 60_000 });
    const started = Date.now();
    await page.goto(`${baseUrl}/console/broadcasts/${broadcastId}`);
    await page
      .locator('[data-testid=targeted]')
      .filter({ hasText: new RegExp(`^${recipients}$`) })
      .waitFor({ timeout: 120_000 });
    const secondsToTally = (Date.now() - started) / 1000;
    const toggle = page.locator('.tally-row button.toggle[aria-expanded=false]').first();
    const clicked = Date.now();
    await toggle.click();
    await page.locator('.tally-row button.toggle[aria-expanded=true]').nth(1).waitFor({ timeout: 30_000 });
    const expandMs = Date.now() - clicked;
    const tasks = (await page.evaluate('window.__longTasks')) as number[];
    return {
      recipients,
      secondsToTally: Math.round(secondsToTally * 100) / 100,
      longestTaskMs: Math.round(Math.max(0, ...tasks)),
      blockingMs: Math.round(tasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0)),
      expandMs,
    };
  } finally {
    await browser.close();
  }
}
