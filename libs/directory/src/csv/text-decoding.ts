import { Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';

export type DetectedEncoding = 'utf-8' | 'shift_jis';

/**
 * Decodes a CSV from Excel in Japan, streaming: UTF-8 with or without BOM, or Shift_JIS (CP932;
 * the WHATWG "shift_jis" decoder is Microsoft's table). ASCII is the same in both, so bytes pass
 * through until the first non-ASCII byte, where a few kilobytes decide: valid UTF-8 or not.
 */
export class JapaneseTextDecoder extends Transform {
  private decoder: TextDecoder | null = null;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private started = false;
  encoding: DetectedEncoding | null = null;

  constructor(private readonly sniffBytes = 8192) {
    super({ readableObjectMode: false, decodeStrings: true });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      if (!this.started) {
        this.started = true;
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
          this.choose('utf-8');
          chunk = chunk.subarray(3);
        } else if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
          throw new UnsupportedEncodingError('The file is UTF-16 ("Unicode text"); save it as "CSV UTF-8" or "CSV (comma delimited)"');
        }
      }
      if (this.decoder) {
        this.push(this.decoder.decode(chunk, { stream: true }));
      } else {
        this.pending.push(chunk);
        this.pendingBytes += chunk.length;
        this.decideIfPossible(false);
      }
      done();
    } catch (error) {
      done(explain(error));
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (!this.decoder) this.decideIfPossible(true);
      this.push(this.decoder!.decode());
      done();
    } catch (error) {
      done(explain(error));
    }
  }

  private decideIfPossible(atEnd: boolean): void {
    const buffered = Buffer.concat(this.pending);
    const firstNonAscii = buffered.findIndex((b) => b > 0x7f);
    if (firstNonAscii === -1 && !atEnd) {
      // All ASCII so far: identical in both encodings, pass it on and keep looking.
      this.push(buffered.toString('latin1'));
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    if (!atEnd && buffered.length - firstNonAscii < this.sniffBytes) return;
    this.choose(firstNonAscii === -1 || isUtf8(buffered.subarray(firstNonAscii, firstNonAscii + this.sniffBytes), atEnd) ? 'utf-8' : 'shift_jis');
    this.pending = [];
    this.pendingBytes = 0;
    this.push(this.decoder!.decode(buffered, { stream: true }));
  }

  private choose(encoding: DetectedEncoding): void {
    this.encoding = encoding;
    // Fatal for UTF-8: a file that turns out to be broken later is refused, not silently mangled.
    this.decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
    this.emit('encoding', encoding);
  }
}

export class UnsupportedEncodingError extends Error {}

function explain(error: unknown): Error {
  if (error instanceof UnsupportedEncodingError) return error;
  if ((error as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
    return new UnsupportedEncodingError('The file mixes encodings: it starts as UTF-8 but later bytes are not UTF-8. Save it again as "CSV UTF-8"');
  }
  return error as Error;
}

function isUtf8(bytes: Buffer, complete: boolean): boolean {
  try {
    // `stream: true` tolerates a character cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}
