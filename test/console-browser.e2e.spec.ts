import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { freePort } from '#anpi/processes';
import { quake } from '#anpi/stand-ins';
import {
  bearer,
  DirectoryFactory,
  Factory,
  linkLine,
  lineUserId,
  PASSWORD,
  type DepartmentRow,
  type Session,
  type TenantWithAdmin,
} from './support/factories.js';
import { CHROMIUM, CHROMIUM_FLAGS, chromiumAvailable } from './support/browser.js';
import { startDeliveryHarness, type DeliveryHarness } from './support/delivery-harness.js';

const ARTIFACTS = 'test/artifacts/console';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 860 };
const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

/**
 * The console as its users use it: Chromium against the real api (serving the built console),
 * worker, PostgreSQL, Redis and the stand-ins. Every screen is photographed at phone and desktop
 * sizes and checked with axe-core.
 */
(chromiumAvailable() ? describe : describe.skip)('the console in a real browser', () => {
  let h: DeliveryHarness;
  let make: Factory;
  let owner: TenantWithAdmin;
  let browser: Browser;
  let base: string;
  let sales: DepartmentRow;
  let head: Session;
  let maintainer: Session;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://localhost:${port}`;
    // Access tokens live 20 s here, so the console's renewal (and its end) happens within a test.
    h = await startDeliveryHarness({ PUBLIC_BASE_URL: base, ACCESS_TOKEN_TTL_SECONDS: '20' });
    await h.api.app.listen(port, '127.0.0.1');
    make = new Factory(h.api);
    owner = await make.tenantWithAdmin();
    const dir = new DirectoryFactory(h.api, owner);
    const hq = await dir.department('本社', undefined, 'HQ');
    sales = await dir.department('営業部', hq, 'SALES');
    const first = await dir.department('第一課', sales, 'SALES1');
    const dev = await dir.department('技術部', hq, 'DEV');
    await dir.employee({ code: 'S1', name: '佐藤 花子', departmentId: sales.id, emails: ['sato@example.jp'] });
    await dir.employee({ code: 'S2', name: '鈴木 一郎', departmentId: first.id, emails: ['suzuki@example.jp'], mobiles: ['09012345678'] });
    await dir.employee({ code: 'D1', name: '田中 次郎', departmentId: dev.id, emails: ['tanaka@example.jp'] });
    head = await make.user(owner, 'department_head');
    await h.api
      .http()
      .put(`/v1/users/${head.user.id}/departments`)
      .set(bearer(owner.admin.accessToken))
      .send({ departmentIds: [sales.id] })
      .expect(200);
    maintainer = await make.user(owner, 'maintainer');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  // A failed test leaves its pages open: photograph them for the reader, then close them.
  afterEach(async () => {
    let n = 0;
    for (const ctx of browser.contexts()) {
      for (const page of ctx.pages())
        await page.screenshot({ path: `${ARTIFACTS}/failed-${expect.getState().currentTestName?.slice(0, 40)}-${++n}.png`, fullPage: true });
      await ctx.close();
    }
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** A fresh admin token for calls from the test itself (tokens live 20 s here). */
  async function adminToken(): Promise<string> {
    owner.admin = await make.login(owner.tenant.slug, owner.admin.email, PASSWORD);
    return owner.admin.accessToken;
  }

  async function context(): Promise<BrowserContext> {
    return browser.newContext({ viewport: PHONE, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  }

  async function login(page: Page, session: Session): Promise<void> {
    await page.goto(`${base}/console/`);
    await page.getByLabel('企業コード').fill(owner.tenant.slug);
    await page.getByLabel('メールアドレス').fill(session.email);
    await page.getByLabel('パスワード').fill(PASSWORD);
    await page.getByRole('button', { name: 'ログイン' }).click();
    try {
      await page.getByRole('button', { name: 'ログアウト' }).waitFor({ timeout: 10_000 });
    } catch (error) {
      await page.screenshot({ path: `${ARTIFACTS}/failed-login-${session.user.role}.png`, fullPage: true });
      throw error;
    }
  }

  /** Phone and desktop screenshots, and no serious or critical axe-core violation. */
  async function screen(page: Page, name: string): Promise<void> {
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: `${ARTIFACTS}/${name}-phone.png`, fullPage: true });
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: `${ARTIFACTS}/${name}-desktop.png`, fullPage: true });
    await page.setViewportSize(PHONE);
    // Evaluated through the DevTools protocol, which the page's CSP does not govern.
    await page.evaluate(AXE);
    const violations = (await page.evaluate(`(async () => {
      const result = await window.axe.run();
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', '));
    })()`)) as string[];
    expect({ screen: name, violations }).toEqual({ screen: name, violations: [] });
  }

  it('is served with a strict CSP, immutable hashed assets and an uncached index.html', async () => {
    const index = await h.api.http().get('/console/').expect(200);
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['cache-control']).toBe('no-cache');
    const asset = /\/console\/assets\/[^"]+\.js/.exec(index.text)![0];
    const js = await h.api.http().get(asset).expect(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(index.text).not.toMatch(/<script>(?!<\/script>)/);
    await h.api.http().get('/console/assets/missing-abc.js').expect(404);
    expect((await h.api.http().get('/console/broadcasts/x').expect(200)).text).toContain('<div id="root">');
  });

  it('login: clear words for wrong credentials; the session survives a reload without local storage', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await page.goto(`${base}/console/`);
    await page.getByLabel('企業コード').fill(owner.tenant.slug);
    await page.getByLabel('メールアドレス').fill(owner.admin.email);
    await page.getByLabel('パスワード').fill('wrong-password');
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.getByText('企業コード、メールアドレスまたはパスワードが違います。').waitFor();
    await screen(page, '01-login');
    await page.getByLabel('パスワード').fill(PASSWORD);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.getByRole('link', { name: '安否確認を送信' }).first().waitFor();
    const cookies = await ctx.cookies();
    const refresh = cookies.find((c) => c.name === 'anpi_refresh')!;
    expect(refresh).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/v1/auth/console' });
    expect(await page.evaluate('localStorage.length + sessionStorage.length')).toBe(0);
    await page.reload();
    await page.getByRole('button', { name: 'ログアウト' }).waitFor();
    await screen(page, '02-home');

    // A renewal the server carried out but whose answer (with the new cookie) never reached the
    // browser, as when the page is reloaded mid-request: the next reload still finds the session.
    let lost!: () => void;
    const renewalLost = new Promise<void>((resolve) => (lost = resolve));
    await page.route('**/v1/auth/console/refresh', async (route) => {
      const spent = (await ctx.cookies()).find((c) => c.name === 'anpi_refresh')!;
      const served = await route.fetch();
      expect(served.status()).toBe(200);
      await ctx.addCookies([spent]); // route.fetch shares the context's cookies: put the spent one back
      await route.abort('connectionreset');
      lost();
    });
    await renewalLost; // the console renews 5 s after sign-in here (tokens live 20 s)
    await page.unroute('**/v1/auth/console/refresh');
    await page.reload();
    await page.getByRole('button', { name: 'ログアウト' }).waitFor();
    await ctx.close();
  });

  it('login says when to try again after too many failures, and that a company is suspended', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    const throttled = await make.tenantWithAdmin();
    await page.goto(`${base}/console/`);
    await page.getByLabel('企業コード').fill(throttled.tenant.slug);
    await page.getByLabel('メールアドレス').fill(throttled.admin.email);
    for (let i = 0; i < 6; i++) {
      await page.getByLabel('パスワード').fill(`wrong-${i}`);
      await page.getByRole('button', { name: 'ログイン' }).click();
      await page.getByRole('alert').waitFor();
      if ((await page.getByRole('alert').innerText()).includes('お待ちください')) break;
    }
    expect(await page.getByRole('alert').innerText()).toMatch(/ログインの失敗が続いたため、\d+(分|秒)お待ちください。/);
    await screen(page, '01b-login-throttled');

    const suspended = await make.tenantWithAdmin();
    await h.api.http().post(`/v1/tenants/${suspended.tenant.id}/suspend`).set(make.platform()).send({ reason: 'お支払いの確認中' }).expect(200);
    await page.getByLabel('企業コード').fill(suspended.tenant.slug);
    await page.getByLabel('メールアドレス').fill(suspended.admin.email);
    await page.getByLabel('パスワード').fill(PASSWORD);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.getByText('この企業のご利用は停止されています。').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('お支払いの確認中');
    await ctx.close();
  }, 60_000);

  it('an admin launches a drill to one department after preview and confirmation; a double click sends one alert', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await login(page, owner.admin);
    await page.getByRole('link', { name: '安否確認を送信' }).first().click();
    await page.getByLabel('テンプレート', { exact: true }).selectOption('preset:drill');
    await page.getByLabel('部署を選ぶ').check();
    await page.getByRole('checkbox', { name: /営業部/ }).check();
    await page.getByLabel('リマインド').selectOption('custom');
    await page.getByLabel('再送の間隔（分）').fill('60');
    await page.getByLabel('再送の最大回数').fill('2');
    await screen(page, '03-launch');
    await page.getByRole('button', { name: 'プレビュー' }).click();
    await page.getByText('送信人数').waitFor();
    expect(await page.locator('.headcount').innerText()).toContain('2 人');
    await expect(page.locator('.preview.sms').innerText()).resolves.toMatch(/1 通分（UCS-2）/);
    await screen(page, '04-preview');
    await page.getByRole('button', { name: '次へ' }).click();
    await page.getByText('これは訓練です。').waitFor();
    expect(await page.locator('.confirm-count').innerText()).toContain('2 人');
    await screen(page, '05-confirm');
    await page.getByRole('button', { name: '送信する' }).dblclick();
    await page.waitForURL(/\/console\/broadcasts\//);
    const { rows } = await h.api.owner('SELECT count(*)::int AS n, min(reminder::text) AS reminder FROM broadcasts WHERE tenant_id = $1', [owner.tenant.id]);
    expect(rows[0].n).toBe(1);
    expect(JSON.parse(rows[0].reminder)).toEqual({ intervalMinutes: 60, maxReminders: 2 });
    await ctx.close();
  });

  it('the tally follows answers from the answer page, takes a proxy answer, and the broadcast closes', async () => {
    const { rows } = await h.api.owner('SELECT id FROM broadcasts WHERE tenant_id = $1', [owner.tenant.id]);
    const broadcastId = rows[0].id as string;
    const ctx = await context();
    const page = await ctx.newPage();
    await login(page, owner.admin);
    await page.goto(`${base}/console/broadcasts/${broadcastId}`);
    await page.getByText('● ライブ更新中').waitFor();
    await expectText(page, '[data-testid=targeted]', '2');

    // 佐藤 answers on her phone, through the link in her email.
    const mail = await waitFor(() => h.smtp.to('sato@example.jp').at(-1));
    const link = /http:\/\/localhost:\d+\/a\/[A-Za-z0-9_-]+/.exec(mail.text)![0];
    const employee = await (await context()).newPage();
    await employee.goto(link);
    await employee.getByRole('group', { name: /本人/ }).getByLabel('無事', { exact: true }).check();
    await employee.getByRole('group', { name: /家族/ }).getByLabel('全員無事').check();
    await employee.getByRole('group', { name: /家屋/ }).getByLabel('無事', { exact: true }).check();
    await employee.getByRole('group', { name: /出社/ }).getByLabel('可能').check();
    await employee.getByRole('button', { name: '回答する' }).click();
    await employee.getByText('回答を受け付けました').waitFor();
    // Closed here: afterEach photographs the pages a test leaves open as a failure's.
    await employee.context().close();
    await expectText(page, '[data-testid=answered]', '1');
    await screen(page, '06-broadcast');

    // 鈴木 phoned in: the admin answers for him.
    await page.getByRole('button', { name: '代理回答: 鈴木 一郎' }).click();
    await page.locator('.proxy').getByRole('group', { name: /本人/ }).getByLabel('無事', { exact: true }).check();
    await page
      .locator('.proxy')
      .getByLabel(/メッセージ/)
      .fill('電話で確認');
    await page.locator('.proxy').getByRole('button', { name: '保存' }).click();
    await expectText(page, '[data-testid=answered]', '2');
    // A department's own counts per option, under the tree.
    await page.locator('[data-testid="dept-営業部"]').getByRole('button', { name: '営業部', exact: true }).click();
    await page.locator('.picked-department').getByText('無事: 2').first().waitFor();

    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '回答CSVをダウンロード' }).click()]);
    const csv = readFileSync((await file.path())!, 'utf8');
    expect(csv).toContain('佐藤 花子');
    expect(csv).toContain('電話で確認');

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: '締め切る' }).click();
    await expectText(page, '[data-testid=status]', '締切');
    await ctx.close();
  }, 60_000);

  it('a department head sees Home and their subtree only, no contacts, and no admin screens', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await login(page, head);
    expect(await page.getByRole('link', { name: '安否確認を送信' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: '社員名簿' }).count()).toBe(0);
    await page.locator('main a[href*="/broadcasts/"]').first().click();
    await page.locator('[data-testid="dept-営業部"]').waitFor();
    expect(await page.locator('[data-testid="dept-技術部"]').count()).toBe(0);
    expect(await page.getByText('@example.jp').count()).toBe(0);
    expect(await page.getByRole('button', { name: '締め切る' }).count()).toBe(0);
    await screen(page, '07-head-broadcast');
    await page.goto(`${base}/console/launch`);
    await page.getByText('この画面を見る権限がありません。').waitFor();
    await ctx.close();
  });

  it('a maintainer sees row errors in the dry run, fixes the file and applies it, then edits an employee and the tree', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await login(page, maintainer);
    await page.waitForURL(/\/console\/directory/);
    const dir = mkdirSafe(join(tmpdir(), `anpi-console-${process.pid}`));
    const bad = join(dir, 'bad.csv');
    const good = join(dir, 'good.csv');
    writeFileSync(bad, '\uFEFF社員番号,氏名,部署コード,メール\r\nN1,新人 一郎,SALES,not-an-email\r\nN2,新人 二郎,NOPE,n2@example.jp\r\n');
    writeFileSync(good, '\uFEFF社員番号,氏名,部署コード,メール\r\nN1,新人 一郎,SALES,n1@example.jp\r\nN2,新人 二郎,DEV,n2@example.jp\r\n');
    await page.getByLabel('CSVファイルを選ぶ').setInputFiles(bad);
    await page.getByRole('button', { name: '確認（書き込みません）' }).click();
    await page.getByText('行エラー').waitFor();
    const report = await page.locator('[data-testid=import-report]').innerText();
    expect(report).toContain('not-an-email');
    expect(report).toContain('NOPE');
    expect(await page.getByRole('button', { name: '取り込む' }).isDisabled()).toBe(true);
    await screen(page, '08-import-errors');
    await page.getByLabel('CSVファイルを選ぶ').setInputFiles(good);
    await page.getByRole('button', { name: '確認（書き込みません）' }).click();
    await page.getByRole('button', { name: '取り込む' }).click();
    await page.getByText('取り込みました。').waitFor();
    await page.getByRole('button', { name: '新人 二郎' }).waitFor();
    await screen(page, '09-directory');

    // Detail and edit: 新人 二郎 works in 東京都; a new section under 営業部.
    await page.getByRole('button', { name: '新人 二郎' }).click();
    const detail = page.getByRole('form', { name: /社員の詳細: 新人 二郎/ });
    await detail.getByLabel('勤務地都道府県').fill('東京都');
    await screen(page, '09b-employee-detail');
    await detail.getByRole('button', { name: '保存' }).click();
    await detail.waitFor({ state: 'detached' });
    const n2 = (
      await h.api
        .http()
        .get('/v1/employees?q=N2')
        .set(bearer(await adminToken()))
        .expect(200)
    ).body.items[0];
    expect(n2).toMatchObject({ code: 'N2', workPrefecture: 13 });
    await page.getByLabel('部署コード').fill('SALES2');
    await page.getByLabel('部署名').fill('第二課');
    await page.getByLabel('上位の部署').selectOption({ label: '　営業部' });
    await page.getByRole('button', { name: '保存' }).last().click();
    await page.getByRole('button', { name: '編集: 第二課' }).waitFor();
    await page.goto(`${base}/console/launch`);
    await page.getByText('この画面を見る権限がありません。').waitFor();
    await ctx.close();
  }, 60_000);

  it('a bounced address is flagged in the directory and cleared from the employee detail', async () => {
    const tanaka = (
      await h.api
        .http()
        .get('/v1/employees?q=D1')
        .set(bearer(await adminToken()))
        .expect(200)
    ).body.items[0];
    await h.api.owner(
      `INSERT INTO email_bounces (tenant_id, employee_id, address, event, reason) VALUES ($1, $2, 'tanaka@example.jp', 'bounce', '550 5.1.1 user unknown')`,
      [owner.tenant.id, tanaka.id],
    );
    const ctx = await context();
    const page = await ctx.newPage();
    await login(page, maintainer);
    await page.waitForURL(/\/console\/directory/);
    await page.getByText('⚠ 不達').first().waitFor();
    await page.getByRole('button', { name: '田中 次郎' }).click();
    const detail = page.getByRole('form', { name: /社員の詳細: 田中 次郎/ });
    await detail.getByText(/550 5\.1\.1 user unknown/).waitFor();
    await screen(page, '09c-email-bounced');
    await detail.getByRole('button', { name: '不達フラグを解除' }).click();
    await detail.getByText(/550 5\.1\.1/).waitFor({ state: 'detached' });
    const after = await h.api
      .http()
      .get(`/v1/employees/${tanaka.id}`)
      .set(bearer(await adminToken()))
      .expect(200);
    expect(after.body.emailBounces).toEqual([]);
    await ctx.close();
  }, 60_000);

  it('cancels a pending automatic launch from Home', async () => {
    await h.api
      .http()
      .post('/v1/auto-launch-rules')
      .set(bearer(await adminToken()))
      .send({ name: '震度5弱以上', kind: 'earthquake', minLevel: '5-', target: 'everyone', templateId: 'preset:earthquake', holdMinutes: 10 })
      .expect(201);
    await h.api
      .http()
      .post('/v1/platform/telegrams')
      .set(make.platform())
      .set('Content-Type', 'application/xml')
      .send(quake({ '13': '5+' }, { eventId: 'CONSOLE-1' }))
      .expect(201);
    const ctx = await context();
    const page = await ctx.newPage();
    await login(page, owner.admin);
    await page.getByText('自動送信の保留中').waitFor({ timeout: 20_000 });
    expect(await page.locator('.hold').innerText()).toMatch(/送信まで残り \d+:\d\d/);
    await screen(page, '10-pending-launch');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: '取り消す' }).click();
    await page.getByText('自動送信の保留中').waitFor({ state: 'detached' });
    const launches = (
      await h.api
        .http()
        .get('/v1/auto-launches')
        .set(bearer(await adminToken()))
        .expect(200)
    ).body.items;
    expect(launches[0]).toMatchObject({ state: 'cancelled', pending: false });
    await screen(page, '11-rules-home-after');
    await ctx.close();
  });

  it('logout returns to login with the reason; an ended session does too', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await login(page, owner.admin);
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.getByText('ログアウトしました。').waitFor();
    expect((await ctx.cookies()).find((c) => c.name === 'anpi_refresh')).toBeUndefined();

    // The user's password changes elsewhere: every session ends; the console's renewal finds out.
    await adminToken();
    const other = await make.user(owner, 'admin');
    await login(page, other);
    await h.api
      .http()
      .post('/v1/auth/password')
      .set(bearer(other.accessToken))
      .send({ currentPassword: PASSWORD, newPassword: 'another-long-password-2026' })
      .expect(204);
    await page.getByText('セッションの有効期限が切れました。もう一度ログインしてください。').waitFor({ timeout: 30_000 });
    await screen(page, '12-expired');
    await ctx.close();
  }, 60_000);

  it('admin screens: a rule is created from its form, a LINE message answered from the inbox, an API key shown once', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await login(page, owner.admin);
    await page.getByRole('link', { name: '自動送信ルール' }).click();
    await page.getByRole('button', { name: 'ルールを追加' }).click();
    await page.getByLabel('ルール名').fill('関東 震度5強以上');
    await page.getByLabel('送信する最小の強さ').selectOption('5+');
    await page.getByLabel('対象の都道府県（空欄は全国）').fill('東京都、神奈川県');
    await screen(page, '14-rule-form');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('heading', { name: '関東 震度5強以上' }).waitFor();
    const rules = (
      await h.api
        .http()
        .get('/v1/auto-launch-rules')
        .set(bearer(await adminToken()))
        .expect(200)
    ).body;
    expect(rules.find((r: { name: string }) => r.name === '関東 震度5強以上')).toMatchObject({
      kind: 'earthquake',
      minLevel: '5+',
      prefectures: [13, 14],
      target: 'affected',
    });
    await screen(page, '15-rules');

    // 佐藤 wrote on LINE (stored as the webhook stores it); the admin replies from the inbox.
    const user = lineUserId(4242);
    const { rows } = await h.api.owner("SELECT id FROM employees WHERE tenant_id = $1 AND code = 'S1'", [owner.tenant.id]);
    await linkLine(h.api, rows[0].id, user);
    await h.api.owner(
      `INSERT INTO inbox_messages (id, tenant_id, employee_id, channel_key, line_user_id, webhook_event_id, text)
       VALUES (gen_random_uuid(), $1, $2, 'platform', $3, 'evt-console-1', '自宅にいます。けがはありません。')`,
      [owner.tenant.id, rows[0].id, user],
    );
    await page.getByRole('link', { name: 'LINE受信箱' }).click();
    await page.getByText('自宅にいます。けがはありません。').waitFor();
    await page.getByLabel('返信: 佐藤 花子').fill('確認しました。無理をしないでください。');
    await screen(page, '16-inbox');
    await page.getByRole('button', { name: '返信する' }).click();
    await page.getByText(/返信済み/).waitFor();
    expect(h.line.textsTo(user).join()).toContain('確認しました。無理をしないでください。');

    await page.getByRole('link', { name: '設定' }).click();
    await page.getByLabel('キーの名前').fill('人事システム連携');
    await page.getByRole('button', { name: 'APIキーを作成' }).click();
    await page.getByText('このキーは今だけ表示されます。').waitFor();
    expect(await page.locator('.secret').innerText()).toMatch(/^anpi_sk_/);
    await screen(page, '17-settings');
    await ctx.close();
  }, 60_000);

  it('settings: a user is added and scoped, the email sender saved, a tenant switch turned on, an API key revoked', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await login(page, owner.admin);
    await page.getByRole('link', { name: '設定' }).click();
    const form = page.locator('form[aria-labelledby=new-user]');
    await form.getByLabel('氏名').fill('営業 課長');
    await form.getByLabel('メールアドレス').fill('kacho@example.co.jp');
    await form.getByLabel('権限').selectOption('department_head');
    await form.getByLabel('初期パスワード（12文字以上）').fill('kacho-initial-password-1');
    await form.getByRole('button', { name: 'ユーザーを追加' }).click();
    const row = page.getByRole('row', { name: /営業 課長/ });
    await row.getByRole('button', { name: /担当部署/ }).click();
    await row.getByRole('checkbox', { name: /営業部/ }).check();
    await row.getByRole('button', { name: '保存' }).click();
    await page
      .getByRole('row', { name: /営業 課長/ })
      .getByRole('button', { name: '担当部署 (1)' })
      .waitFor();

    await page.getByLabel('差出人名').fill('人事部 安否確認');
    await page.getByLabel('差出人アドレス').fill('anpi@example.co.jp');
    await page
      .locator('form')
      .filter({ has: page.getByLabel('差出人名') })
      .getByRole('button', { name: '保存' })
      .click();
    await page.getByText('人事部 安否確認 <anpi@example.co.jp>').waitFor();
    await page.getByRole('checkbox', { name: '部署長に未回答者の連絡先を表示する' }).check();
    await page.getByRole('checkbox', { name: '部署長に未回答者の連絡先を表示する', checked: true }).waitFor();

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: '失効させる' }).first().click();
    await page
      .getByText(/失効済み/)
      .first()
      .waitFor();
    await screen(page, '18-settings-after');

    const token = await adminToken();
    const users = (await h.api.http().get('/v1/users').set(bearer(token)).expect(200)).body;
    expect(users.find((u: { email: string }) => u.email === 'kacho@example.co.jp')).toMatchObject({ role: 'department_head', departmentIds: [sales.id] });
    const channels = (await h.api.http().get('/v1/settings/channels').set(bearer(token)).expect(200)).body;
    expect(channels.email).toMatchObject({ usingPlatformDefault: false, fromName: '人事部 安否確認', fromAddress: 'anpi@example.co.jp' });
    expect((await h.api.http().get('/v1/settings').set(bearer(token)).expect(200)).body.headsSeeContacts).toBe(true);
    const keys = (await h.api.http().get('/v1/api-keys').set(bearer(token)).expect(200)).body;
    expect(keys.every((k: { revokedAt: string | null }) => k.revokedAt)).toBe(true);
    await ctx.close();
  }, 60_000);

  it('settings: the LINE WORKS app and bot are saved from the form and the connection tested in words', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const app = {
      clientId: 'consoleClient01',
      clientSecret: 'console-client-secret',
      serviceAccount: 'console.serviceaccount@works.test',
      publicKey,
      botId: '3000001',
      botSecret: 'console-bot-secret',
      domainId: '40000001',
    };
    h.lineworks.addApp(app);
    const ctx = await context();
    const page = await ctx.newPage();
    await login(page, owner.admin);
    await page.getByRole('link', { name: '設定' }).click();
    const form = page.locator('form[aria-labelledby=lineworks-settings]');
    await form.getByLabel('Client ID').fill(app.clientId);
    await form.getByLabel('Client Secret').fill(app.clientSecret);
    await form.getByLabel('Service Account').fill(app.serviceAccount);
    await form.getByLabel('Private Key (PEM)').fill(pem);
    await form.getByLabel('Bot ID').fill(app.botId);
    await form.getByLabel('Bot Secret').fill(app.botSecret);
    await form.getByLabel('Domain ID').fill(app.domainId);
    await form.getByRole('button', { name: '保存' }).click();
    await form.getByText(`Callback URL (Developer Console の Bot に設定): ${base}/lineworks/callback/${app.botId}`).waitFor();
    await form.getByRole('button', { name: '接続テスト' }).click();
    await form.getByText(/接続できました/).waitFor();
    await screen(page, '18b-settings-lineworks');
    const channels = (
      await h.api
        .http()
        .get('/v1/settings/channels')
        .set(bearer(await adminToken()))
        .expect(200)
    ).body;
    expect(channels.lineworks).toMatchObject({ configured: true, botId: app.botId, privateKeySet: true, ratePerMinute: 240 });
    await ctx.close();
  }, 60_000);

  it('switches to English, remembered for the user', async () => {
    const ctx = await context();
    const page = await ctx.newPage();
    await login(page, owner.admin);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Send a safety check' }).first().waitFor();
    await page.reload();
    await page.getByRole('link', { name: 'Send a safety check' }).first().waitFor();
    await screen(page, '13-home-en');
    await ctx.close();
  });
});

async function expectText(page: Page, selector: string, text: string): Promise<void> {
  // A locator, not waitForFunction: the console's CSP refuses eval, which waitForFunction uses.
  await page
    .locator(selector)
    .filter({ hasText: new RegExp(`^${text}$`) })
    .waitFor({ timeout: 15_000 });
}

async function waitFor<T>(get: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function mkdirSafe(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
