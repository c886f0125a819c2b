import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LineStandInChannel } from '#anpi/stand-ins';
import { EMPLOYEES, type DemoEmployee } from './company.js';
import type { DemoProviders } from './providers.js';

export interface Outbox {
  url: string;
  close(): Promise<void>;
}

/**
 * The demo's outbox (served by the demo, never by the product): what each employee received on
 * each channel from the stand-ins, with the answer links and LINE link codes clickable, and LINE's
 * buttons (無事です, 回答する) as buttons that send the signed postback webhook a tap would. With
 * it a newcomer can walk the whole flow as an employee in a browser.
 */
export async function startOutbox(providers: DemoProviders, channel: LineStandInChannel, port: number): Promise<Outbox> {
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/line/postback') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const user = form.get('user') ?? '';
        const data = form.get('data') ?? '';
        const known = EMPLOYEES.some((e) => e.lineUserId === user) && /^(safe|answer):[0-9a-f-]{36}$/.test(data);
        const done = known ? providers.line.webhooks.send(channel, [providers.line.webhooks.postback(user, data)]) : Promise.resolve();
        // The worker's reply arrives a moment later; the page shows it after the redirect's reload.
        void done
          .then(() => new Promise((resolve) => setTimeout(resolve, 700)))
          .finally(() => {
            res.writeHead(303, { Location: `/#${encodeURIComponent(user)}` });
            res.end();
          });
      });
      return;
    }
    if (req.method !== 'GET' || (req.url !== '/' && !req.url?.startsWith('/?'))) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(page(providers));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return { url: `http://localhost:${bound}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function page(providers: DemoProviders): string {
  const sections = EMPLOYEES.map((e) => employeeSection(e, providers)).join('\n');
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>デモの送信箱 / Demo outbox</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.5}section{border-top:1px solid #ccc;padding:.5rem 0}
h2{font-size:1.1rem;margin:.3rem 0}.ch{font-weight:bold;color:#555;margin-right:.5rem}.msg{margin:.2rem 0 .2rem 1rem;white-space:pre-wrap;word-break:break-all}
form{display:inline}button{margin:.2rem;padding:.3rem .8rem}.none{color:#888}</style></head><body>
<h1>デモの送信箱 <small>Demo outbox</small></h1>
<p>デモのスタンドイン (LINE・Twilio・メール) が受け取った、社員ごとのメッセージです。回答リンクを開くと、社員として回答できます。これはデモ専用の画面で、製品には含まれません。<br>
What the demo's stand-ins received, per employee. Open an answer link to answer as that employee.
  Demo only: not part of the product.${providers.smtp ? '' : ' Email goes to Mailpit: <a href="http://localhost:8025">http://localhost:8025</a>.'}</p>
${sections}
</body></html>`;
}

function employeeSection(e: DemoEmployee, providers: DemoProviders): string {
  const items: string[] = [];
  if (e.lineUserId) {
    const user = e.lineUserId;
    for (const m of providers.line.multicasts.filter((x) => x.to.includes(user))) items.push(lineItem(user, m.messages, 'LINE'));
    for (const m of providers.line.sentTo(user)) items.push(lineItem(user, m.messages, 'LINE'));
  }
  for (const m of providers.lineworks.sentTo(e.email)) {
    const c = m.content as { contentText?: string; text?: string; actions?: { label: string; uri?: string }[] };
    const buttons = (c.actions ?? []).map((a) => (a.uri ? `${a.label} ${a.uri}` : `[${a.label}]`));
    items.push(`<div class="msg"><span class="ch">LINE WORKS</span>${linkify([c.contentText ?? c.text ?? '', ...buttons].join('\n'))}</div>`);
  }
  for (const mail of providers.smtp?.to(e.email) ?? [])
    items.push(`<div class="msg"><span class="ch">メール</span>${esc(mail.subject)}\n${linkify(mail.text)}</div>`);
  if (e.mobile)
    for (const sms of providers.twilio.messages.filter((m) => m.to === e.mobile))
      items.push(`<div class="msg"><span class="ch">SMS</span>${linkify(sms.body)}</div>`);
  const reach = [e.lineUserId ? 'LINE' : null, 'LINE WORKS', 'メール', e.mobile ? 'SMS' : null].filter(Boolean).join('・');
  return `<section id="${esc(e.lineUserId ?? e.code)}"><h2>${esc(e.name)} <small>${esc(e.code)} (${reach})</small></h2>
${items.length ? items.join('\n') : '<p class="none">まだ何も届いていません / nothing yet</p>'}</section>`;
}

/** A LINE message as text, its links clickable, and its postback buttons as buttons. */
function lineItem(user: string, messages: Record<string, unknown>[], label: string): string {
  const texts: string[] = [];
  const postbacks: { label: string; data: string }[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    const o = value as Record<string, unknown>;
    if (o.type === 'postback' && typeof o.data === 'string') postbacks.push({ label: String(o.label ?? o.displayText ?? o.data), data: o.data });
    else if (o.type === 'uri' && typeof o.uri === 'string') texts.push(`${o.label ?? ''} ${o.uri}`);
    if (typeof o.text === 'string') texts.push(o.text);
    Object.entries(o).forEach(([k, v]) => k !== 'text' && walk(v));
  };
  walk(messages);
  const buttons = postbacks
    .filter((p, i) => postbacks.findIndex((q) => q.data === p.data) === i)
    .map(
      (p) =>
        `<form method="post" action="/line/postback"><input type="hidden" name="user" value="${esc(user)}">
          <input type="hidden" name="data" value="${esc(p.data)}"><button>${esc(p.label)}</button></form>`,
    )
    .join('');
  return `<div class="msg"><span class="ch">${label}</span>${linkify([...new Set(texts)].join('\n'))}${buttons ? `\n${buttons}` : ''}</div>`;
}

function linkify(text: string): string {
  return esc(text).replace(/https?:\/\/[^\s<"]+/g, (url) => `<a href="${url}">${url}</a>`);
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
