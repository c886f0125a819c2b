import type { OutgoingEmail } from './email-channel.js';

/**
 * A text + HTML email as one ready-to-send RFC 5322 message: UTF-8, both parts base64, headers
 * RFC 2047-encoded. Built in one pass into one buffer, because nodemailer's general MIME tree
 * (streams, a write per line) cost more CPU than anything else in an alert's fan-out. Emails with
 * attachments still go through nodemailer's builder.
 */
export function rawMime(email: OutgoingEmail, messageId: string, date = new Date()): Buffer {
  // Unique per message without another call for random bytes (a syscall per email, 2% of the
  // worker in a large fan-out): the Message-ID is already a random UUID. A base64 body never
  // contains "--anpi-", so any unique string would do.
  const boundary = `anpi-${messageId.replace(/[^A-Za-z0-9]/g, '').slice(0, 40)}`;
  const lines = [
    `From: ${encodedWords(email.from.fromName)} <${email.from.fromAddress}>`,
    `To: ${email.to}`,
    `Subject: ${encodedWords(email.subject)}`,
    `Date: ${date.toUTCString()}`,
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(email.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(email.html),
    `--${boundary}--`,
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** The addresses of a "To" list as SMTP's envelope wants them. */
export function envelopeRecipients(to: string): string[] {
  return to
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
}

function base64Lines(text: string): string {
  const encoded = Buffer.from(text, 'utf8').toString('base64');
  const out: string[] = [];
  for (let i = 0; i < encoded.length; i += 76) out.push(encoded.slice(i, i + 76));
  return out.join('\r\n');
}

/**
 * RFC 2047 B-encoded words of at most 75 characters each (so at most 45 bytes of UTF-8 per word,
 * never splitting a character), folded onto continuation lines. Plain ASCII stays as it is.
 */
function encodedWords(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value) && !/=\?/.test(value)) return value;
  const words: string[] = [];
  let chunk = '';
  for (const ch of value) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}
