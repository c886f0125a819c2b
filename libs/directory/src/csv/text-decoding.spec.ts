import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { JapaneseTextDecoder } from './text-decoding.js';

async function decode(bytes: Buffer, chunkSize = 7): Promise<{ text: string; encoding: string | null }> {
  const decoder = new JapaneseTextDecoder(16);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  let text = '';
  for await (const part of Readable.from(chunks).pipe(decoder)) text += part.toString();
  return { text, encoding: decoder.encoding };
}

const sample = '社員番号,氏名\r\nE001,山田 太郎\r\nE002,髙橋 ①\r\n';

describe('JapaneseTextDecoder', () => {
  it('reads UTF-8 without a BOM, across chunk boundaries inside characters', async () => {
    expect(await decode(Buffer.from(sample, 'utf8'))).toEqual({ text: sample, encoding: 'utf-8' });
  });

  it('reads UTF-8 with a BOM and drops the BOM', async () => {
    expect(await decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(sample)]))).toEqual({ text: sample, encoding: 'utf-8' });
  });

  it('reads Shift_JIS (CP932, with its NEC and IBM extensions such as 髙 and ①)', async () => {
    expect(await decode(iconv.encode(sample, 'cp932'))).toEqual({ text: sample, encoding: 'shift_jis' });
  });

  it('decides at the first non-ASCII byte, however late it comes', async () => {
    const ascii = 'employee_code,name\r\n' + 'E1,Yamada\r\n'.repeat(500);
    const late = ascii + 'E9,山田\r\n';
    expect(await decode(iconv.encode(late, 'cp932'), 64)).toEqual({ text: late, encoding: 'shift_jis' });
    expect(await decode(Buffer.from(late), 64)).toEqual({ text: late, encoding: 'utf-8' });
    expect(await decode(Buffer.from(ascii))).toEqual({ text: ascii, encoding: 'utf-8' });
  });

  it('refuses UTF-16 with a message saying how to save the file', async () => {
    await expect(decode(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')]))).rejects.toThrow(/UTF-16/);
  });

  it('refuses a file that starts as UTF-8 and turns into something else', async () => {
    const mixed = Buffer.concat([Buffer.from('氏名\r\n'.repeat(20)), iconv.encode('山田\r\n', 'cp932')]);
    await expect(decode(mixed)).rejects.toThrow(/mixes encodings/);
  });
});
