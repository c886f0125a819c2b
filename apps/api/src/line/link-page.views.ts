import { esc, htmlDocument } from '../answer-page/views.js';

/** The LINE linking pages: Japanese with English beside it, same look as the answer page. */

const page = (title: string, body: string) => htmlDocument('ja', `${title} — 安否確認`, `<main><h1 style="color:#06c755">${title}</h1>${body}</main>`);
const field = (name: string, label: string, attrs = '') =>
  `<p><label for="${name}"><b>${label}</b></label><br><input id="${name}" name="${name}" required ${attrs}
    style="width:100%;min-height:48px;font:inherit;padding:8px;border:1px solid #bbb;border-radius:6px"></p>`;
const green = 'style="background:#06c755"';

export interface LinkPageState {
  linkToken: string;
  channelKey: string;
}

const hidden = (s: LinkPageState, extra: Record<string, string> = {}) =>
  Object.entries({ c: s.channelKey, ...extra })
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${esc(v)}">`)
    .join('');

/** Came through a personal invitation: one button. */
export function confirmPage(s: LinkPageState, invite: string, name: string): string {
  return page(
    'LINE連携 / Link LINE',
    `<p><b>${esc(name)} さん</b>として、このLINEを社員情報と連携します。<br>This links this LINE account to the employee record of <b>${esc(name)}</b>.</p>
<form method="post" action="/l/${esc(s.linkToken)}/confirm">${hidden(s, { i: invite })}<button type="submit" ${green}>連携する / Link</button></form>
<p class="meta">ご本人でない場合は、このページを閉じてください。/ If this is not you, close this page.</p>`,
  );
}

/** No invitation: employee code (and company code on the shared account), then a one-time code. */
export function identifyPage(s: LinkPageState, needsCompany: boolean, notice?: string): string {
  return page(
    'LINE連携 / Link LINE',
    `${notice ? `<p class="error" role="alert">${notice}</p>` : ''}<p>本人確認のため、社員番号を入力してください。登録されているメールアドレスまたは携帯電話に確認コードを送ります。
      <br>Enter your employee number: we send a code to the email or mobile registered for you.</p>
<form method="post" action="/l/${esc(s.linkToken)}/code">${hidden(s)}
${needsCompany ? field('company', '企業コード / Company code', 'autocomplete="organization" autocapitalize="none"') : ''}
${field('employee', '社員番号 / Employee number', 'autocomplete="off" autocapitalize="none"')}
<button type="submit" ${green}>確認コードを送る / Send me a code</button></form>`,
  );
}

export function codePage(s: LinkPageState, session: string, notice?: string): string {
  return page(
    '確認コード / Your code',
    `${notice ? `<p class="error" role="alert">${notice}</p>` : ''}<p>社員番号が登録されていれば、登録先に6桁の確認コードを送りました (10分間有効)。
      <br>If the number is registered, a 6-digit code was sent to your registered email or mobile (valid 10 minutes).</p>
<form method="post" action="/l/${esc(s.linkToken)}/verify">${hidden(s, { s: session })}
${field('code', '確認コード / Code', 'inputmode="numeric" autocomplete="one-time-code" pattern="[0-9０-９]{6}" maxlength="6"')}
<button type="submit" ${green}>連携する / Link</button></form>
<p><a href="/l/${esc(s.linkToken)}?c=${encodeURIComponent(s.channelKey)}">最初からやり直す / Start again</a></p>`,
  );
}

export function linkErrorPage(kind: 'invalid' | 'too_many'): string {
  return kind === 'invalid'
    ? page(
        'このリンクは使えません / This link cannot be used',
        '<p>LINEのトーク画面で「連携」と送ると、新しいリンクが届きます。<br>Send "連携" in the LINE chat to get a new link.</p>',
      )
    : page(
        'しばらく待ってからお試しください / Please wait',
        '<p>短い時間に多くの試行がありました。15分ほど待ってから、もう一度お試しください。<br>Too many attempts: please wait 15 minutes and try again.</p>',
      );
}

/** The personal invitation page, opened from the email or SMS. */
export function invitePage(name: string, friendUrl: string, messageUrl: string, qrDataUrl: string, basicId: string): string {
  return page(
    'LINE連携のお願い / Link your LINE',
    `<p><b>${esc(name)} さん</b>、安否確認をLINEで受け取れるようにします。<br>Let's set up safety checks on LINE.</p>
<ol>
<li><p>LINEで友だち追加します。/ Add the account as a friend.</p>
<p><a href="${esc(friendUrl)}"><button type="button" ${green}>友だち追加 / Add friend (${esc(basicId)})</button></a></p></li>
<li><p>続けて、連携のメッセージを送ります (入力済みです)。届いたボタンを押すと完了です。<br>Then send the linking message (already typed in) and tap the button you receive.</p>
<p><a href="${esc(messageUrl)}"><button type="button" ${green}>連携メッセージを送る / Send linking message</button></a></p></li>
</ol>
<p class="meta">パソコンで開いている場合は、スマートフォンのLINEでこのコードを読み取ってください。/ On a computer? Scan this with LINE on your phone.</p>
<p><img src="${qrDataUrl}" width="200" height="200" alt="LINE ${esc(basicId)}"></p>`,
  );
}
