import iconv from 'iconv-lite';

/** A CSV file as Excel in Japan saves one. */
export function csvFile(rows: string[][], options: { encoding?: 'utf-8' | 'utf-8-bom' | 'shift_jis' } = {}): Buffer {
  const text = rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
  switch (options.encoding ?? 'utf-8') {
    case 'shift_jis':
      return iconv.encode(text, 'cp932');
    case 'utf-8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    default:
      return Buffer.from(text);
  }
}

/** The body of a CSV response, without its BOM, as rows. */
export function parseCsv(body: string): string[][] {
  return body
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean)
    .map((line) =>
      line
        .match(/("([^"]|"")*"|[^,]*)(,|$)/g)!
        .slice(0, -1)
        .map((c) =>
          c
            .replace(/,$/, '')
            .replace(/^"(.*)"$/s, '$1')
            .replaceAll('""', '"'),
        ),
    );
}
