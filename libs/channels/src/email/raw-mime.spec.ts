import { simpleParser } from 'mailparser';
import { envelopeRecipients, rawMime } from './raw-mime.js';

describe('rawMime', () => {
  const email = {
    from: { fromName: '株式会社テスト 安否確認', fromAddress: 'anpi@example.co.jp' },
    to: 'taro@example.jp',
    subject: '【訓練】地震発生 安否確認 — 至急ご回答ください / Earthquake: please report your status now',
    text: '山田 太郎 さん\n地震が発生しました。\nhttps://anpi.test/a/abc\n'.repeat(20),
    html: '<p>山田 太郎 さん</p><p><a href="https://anpi.test/a/abc">回答する</a></p>',
  };

  it('is a message a mail client reads back exactly: sender, subject, both parts, message id', async () => {
    const raw = rawMime(email, 'id-1@example.co.jp', new Date('2026-11-23T01:00:00Z'));
    expect(
      raw
        .toString('latin1')
        .split('\r\n')
        .every((line) => line.length <= 998),
    ).toBe(true);
    const parsed = await simpleParser(raw);
    expect(parsed.from?.value).toEqual([{ name: '株式会社テスト 安否確認', address: 'anpi@example.co.jp' }]);
    expect(parsed.subject).toBe(email.subject);
    expect(parsed.text).toBe(email.text);
    expect(parsed.html).toBe(email.html);
    expect(parsed.messageId).toBe('<id-1@example.co.jp>');
    expect(parsed.date?.toISOString()).toBe('2026-11-23T01:00:00.000Z');
  });

  it('keeps ASCII headers as they are and splits a To list for the envelope', async () => {
    const parsed = await simpleParser(rawMime({ ...email, subject: 'Plain subject', to: 'a@example.jp, b@example.jp' }, 'x@y'));
    expect(parsed.subject).toBe('Plain subject');
    expect(envelopeRecipients('a@example.jp, b@example.jp')).toEqual(['a@example.jp', 'b@example.jp']);
  });
});
