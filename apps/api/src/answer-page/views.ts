import { content, displayTitle, locationQuestion, render } from '#anpi/alerts';
import { escapeHtml } from '#anpi/channels';
import type { AnswerProblem } from '#anpi/answers';
import type { Answer, Broadcast, Recipient } from '#anpi/db';
import { MESSAGES, type Lang, type Messages } from './messages.js';

// Small, inline, readable on a phone in LINE's browser: no script, no web fonts, 48px targets.
const CSS = `*{box-sizing:border-box}
body{margin:0;font:17px/1.6 system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif;color:#1a1a1a;background:#f5f5f5}
main{max-width:640px;margin:0 auto;padding:16px;background:#fff;min-height:100vh}
h1{font-size:1.35rem;margin:.2em 0;color:#b71c1c}.drill h1{color:#1565c0}
.badge{display:inline-block;background:#1565c0;color:#fff;border-radius:4px;padding:0 .5em;font-size:.9rem}
.meta,.lang{font-size:.9rem;color:#555}.lang{text-align:right;margin:0}.lang a{display:inline-block;padding:12px 8px}
.body{white-space:pre-wrap;background:#fafafa;border-left:4px solid #ccc;padding:8px 12px}
.state{font-weight:bold}.state.done{color:#2e7d32}
fieldset{border:1px solid #ddd;border-radius:8px;margin:16px 0;padding:8px 12px}legend{font-weight:bold;padding:0 4px}
.req{color:#b71c1c;font-size:.85rem;font-weight:normal}.opt{color:#555;font-size:.85rem;font-weight:normal}
label.choice{display:flex;align-items:center;gap:12px;min-height:48px;padding:4px 8px;border-radius:6px}
label.choice:hover{background:#f0f0f0}input[type=radio]{width:24px;height:24px;flex:none}
textarea{width:100%;min-height:96px;font:inherit;padding:8px;border:1px solid #bbb;border-radius:6px}
button{display:block;width:100%;min-height:56px;margin:20px 0;font:inherit;font-weight:bold;color:#fff;background:#b71c1c;border:0;border-radius:8px}
.drill button{background:#1565c0}.error{color:#b71c1c;font-weight:bold;margin:4px 0}
.errors{border:2px solid #b71c1c;border-radius:8px;padding:8px 12px}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px}dt{font-weight:bold}dd{margin:0}`;

export interface PageState {
  lang: Lang;
  token: string;
  broadcast: Broadcast;
  recipient: Recipient;
  submissionKey: string;
  values?: { choices: Record<string, string | undefined>; message?: string };
  problems?: AnswerProblem[];
}

export function answerPage(s: PageState): string {
  const t = MESSAGES[s.lang];
  const questions = content.questions(s.broadcast.questions);
  const freeText = content.freeText(s.broadcast.freeText);
  const current = s.values ?? { choices: (s.recipient.choices ?? {}) as Record<string, string>, message: s.recipient.message ?? '' };
  const problem = (field: string) => s.problems?.find((p) => p.field === field);
  const errorText = (p: AnswerProblem) => (p.code === 'too_long' ? t.error.too_long(p.limit ?? 0) : t.error[p.code]);
  const fieldsets = questions
    .map((q) => {
      const p = problem(q.id);
      const options = q.options
        .map((o) => {
          const attributes = [
            current.choices[q.id] === o.id ? ' checked' : '',
            q.required ? ' required' : '',
            p ? ` aria-describedby="err-${esc(q.id)}"` : '',
          ].join('');
          return `<label class="choice"><input type="radio" name="q.${esc(q.id)}" value="${esc(o.id)}"${attributes}> ${esc(label(s.lang, o))}</label>`;
        })
        .join('\n');
      return `<fieldset${p ? ' aria-invalid="true"' : ''}><legend>${labelWithBadge(label(s.lang, q), q.required, t)}</legend>
${p ? `<p class="error" id="err-${esc(q.id)}">${esc(errorText(p))}</p>` : ''}${options}</fieldset>`;
    })
    .join('\n');
  const mp = problem('message');
  const message = freeText
    ? `<p><label for="message"><b>${labelWithBadge(label(s.lang, freeText), freeText.required, t)}</b></label></p>
${mp ? `<p class="error" id="err-message">${esc(errorText(mp))}</p>` : ''}<textarea id="message" name="message" maxlength="${freeText.maxLength}"${
        mp ? ' aria-describedby="err-message" aria-invalid="true"' : ''
      }>${esc(current.message ?? '')}</textarea>`
    : '';
  const answeredAt = s.recipient.answeredAt;
  const state = answeredAt ? esc(t.answered(t.time(answeredAt))) : t.unanswered;
  const summary = s.problems?.length ? `<div class="errors" role="alert"><p class="error">${t.errorsTitle}</p></div>` : '';
  return layout(
    s,
    `${summary}
<p class="state${answeredAt ? ' done' : ''}">${t.state}: ${state}</p>
<form method="post" action="/a/${esc(s.token)}">
<input type="hidden" name="k" value="${esc(s.submissionKey)}"><input type="hidden" name="lang" value="${s.lang}">
${fieldsets}
${message}
<button type="submit">${answeredAt ? t.update : t.submit}</button>
</form>`,
  );
}

export function thanksPage(s: Omit<PageState, 'submissionKey'>, answer: Answer): string {
  const t = MESSAGES[s.lang];
  return layout(
    s,
    `<section role="status"><h2>${t.thanksTitle}</h2><p>${t.thanksBody}</p></section>
<h3>${t.recorded}</h3>${recorded(s, answer.choices as Record<string, string>, answer.message, t)}
<p class="meta">${esc(t.time(answer.submittedAt))}</p>
<p><a href="/a/${esc(s.token)}?lang=${s.lang}">${t.back}</a></p>`,
  );
}

export function closedPage(s: Omit<PageState, 'submissionKey'>): string {
  const t = MESSAGES[s.lang];
  const choices = s.recipient.choices as Record<string, string> | null;
  const last = choices ? `${recorded(s, choices, s.recipient.message, t)}<p class="meta">${esc(t.time(s.recipient.answeredAt!))}</p>` : `<p>${t.noAnswer}</p>`;
  return layout(
    s,
    `<section role="status"><h2>${t.closedTitle}</h2><p>${t.closedBody}</p></section>
<h3>${t.lastAnswer}</h3>${last}`,
  );
}

/**
 * The location check asks first: someone the automatic alert did not target says whether they
 * are in the affected area now; yes leads to the form (and into the tally), no records it.
 */
export function locationPage(s: Omit<PageState, 'submissionKey'>, outside = false): string {
  const t = MESSAGES[s.lang];
  const button = (here: 'yes' | 'no', text: string, secondary = false) =>
    `<form method="post" action="/a/${esc(s.token)}/location"><input type="hidden" name="lang" value="${s.lang}">` +
    `<input type="hidden" name="here" value="${here}"><button type="submit"${secondary ? ' style="background:#555"' : ''}>${text}</button></form>`;
  return layout(
    s,
    outside
      ? `<section role="status"><h2>${t.outsideTitle}</h2><p>${t.outsideBody}</p></section>${button('yes', t.locationYes)}`
      : `<h2>${t.locationTitle}</h2><p>${esc(locationQuestion(s.broadcast))}</p>${button('yes', t.locationYes)}${button('no', t.locationNo, true)}`,
  );
}

/** The same page for every bad link (tampered, expired, unknown): it reveals nothing. */
export function errorPage(lang: Lang, kind: 'invalid' | 'too_many' | 'unavailable'): string {
  const t = MESSAGES[lang];
  const [title, body] =
    kind === 'invalid' ? [t.invalidTitle, t.invalidBody] : kind === 'too_many' ? [t.tooManyTitle, t.tooManyBody] : [t.unavailableTitle, t.unavailableBody];
  return htmlDocument(lang, title, `<main><h1>${title}</h1><p>${body}</p></main>`);
}

function recorded(s: Omit<PageState, 'submissionKey'>, choices: Record<string, string>, message: string | null, t: Messages): string {
  const questions = content.questions(s.broadcast.questions);
  const rows = questions.map((q) => {
    const option = q.options.find((o) => o.id === choices[q.id]);
    return `<dt>${esc(label(s.lang, q))}</dt><dd>${option ? esc(label(s.lang, option)) : t.none}</dd>`;
  });
  if (s.broadcast.freeText) rows.push(`<dt>${t.message}</dt><dd>${message ? esc(message) : t.none}</dd>`);
  return `<dl>${rows.join('')}</dl>`;
}

function layout(s: Omit<PageState, 'submissionKey'>, content: string): string {
  const t = MESSAGES[s.lang];
  const other = s.lang === 'ja' ? 'en' : 'ja';
  const b = s.broadcast;
  const body = render(b.body, { name: s.recipient.name, department: s.recipient.departmentName ?? '' });
  return htmlDocument(
    s.lang,
    `${displayTitle(b)} — ${t.pageTitle}`,
    `<main${b.drill ? ' class="drill"' : ''}>
<p class="lang"><a href="/a/${esc(s.token)}?lang=${other}" hreflang="${other}" lang="${other}">${t.switchLanguage}</a></p>
<header>${b.drill ? `<p><span class="badge">${t.drill}</span></p>` : ''}<h1>${esc(displayTitle(b))}</h1>
<p class="meta">${t.sentAt}: ${esc(t.time(b.launchedAt ?? b.createdAt))} · ${t.sender}: ${esc(b.senderName)}</p></header>
<p><b>${esc(t.you(s.recipient.name))}</b></p>
<div class="body">${esc(body)}</div>
${content}
</main>`,
  );
}

export function htmlDocument(lang: Lang, title: string, main: string): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>${main}</body></html>`;
}

function label(lang: Lang, item: { label: string; labelEn?: string }): string {
  return lang === 'en' && item.labelEn ? item.labelEn : item.label;
}

export const esc = escapeHtml;

/**
 * A question's label and its 必須/任意 badge, once: a label that already says it (「メッセージ (任意)」,
 * as templates written before the badge did) keeps its own words, without the badge repeating them.
 */
function labelWithBadge(text: string, required: boolean, t: { required: string; optional: string }): string {
  const word = required ? t.required : t.optional;
  const says = new RegExp(`[(（]\\s*${word}\\s*[)）]\\s*$`, 'i').test(text.trim());
  if (says) return esc(text);
  return `${esc(text)} <span class="${required ? 'req' : 'opt'}">${word}</span>`;
}
