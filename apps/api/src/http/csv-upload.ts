import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpException, UnsupportedMediaTypeException } from '@nestjs/common';
import busboy from 'busboy';
import { BadRequestError, PayloadTooLargeError } from '#anpi/errors';
import type { Request } from 'express';

const MAX_BYTES = 64 * 1024 * 1024;
const RAW_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/octet-stream', 'application/vnd.ms-excel'];

export interface SpooledUpload {
  open(): Readable;
  dispose(): Promise<void>;
}

/**
 * Receives an uploaded CSV (the raw body, or the `file` field of a multipart form) into a
 * temporary file, so the import reads it at disk speed inside its transaction instead of at the
 * client's upload speed, and memory stays flat whatever the size.
 */
export async function spoolCsvUpload(req: Request): Promise<SpooledUpload> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'multipart/form-data' && !RAW_TYPES.includes(type)) {
    throw new UnsupportedMediaTypeException(
      `Send the CSV as the request body (Content-Type: text/csv) or as the "file" field of multipart/form-data; got ${type || 'no Content-Type'}`,
    );
  }
  // Refused before a byte is read when the client says how large it is; a chunked body is
  // counted as it comes (below).
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BYTES && type !== 'multipart/form-data') throw tooLarge();
  const dir = await mkdtemp(path.join(tmpdir(), 'anpi-import-'));
  const file = path.join(dir, 'upload.csv');
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    if (type === 'multipart/form-data') await receiveMultipart(req, file);
    else await receive(req, file);
  } catch (error) {
    await dispose();
    throw error instanceof HttpException ? error : new BadRequestError(`The upload could not be read: ${(error as Error).message}`);
  }
  return { open: () => createReadStream(file), dispose };
}

/**
 * Writes the body to `file`; past the limit it stops writing and reads the rest into nothing, so
 * the client gets its 413 (destroying the request instead reset the connection with no answer).
 */
function receive(source: Readable, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    const sink = createWriteStream(file);
    const overLimit = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_BYTES) return;
      source.off('data', overLimit);
      source.unpipe(sink);
      sink.destroy();
      // Drained, up to as much again; a client that still sends after that is cut off.
      let drained = 0;
      source.on('data', (rest: Buffer) => {
        drained += rest.length;
        if (drained > MAX_BYTES) source.destroy();
      });
      source.resume();
      reject(tooLarge());
    };
    source.on('data', overLimit);
    source.on('error', reject);
    sink.on('error', reject);
    sink.on('finish', () => resolve());
    source.pipe(sink);
  });
}

function receiveMultipart(req: Request, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let written: Promise<void> | null = null;
    const form = busboy({ headers: req.headers, limits: { fileSize: MAX_BYTES, files: 1 } });
    form.on('file', (field, stream) => {
      if (field !== 'file') {
        stream.resume();
        return;
      }
      stream.on('limit', () => reject(tooLarge()));
      written = pipeline(stream, createWriteStream(file));
      written.catch(reject);
    });
    form.on('error', reject);
    form.on('close', () => (written ? written.then(resolve, reject) : reject(new BadRequestError('The form has no "file" field'))));
    req.pipe(form);
  });
}

function tooLarge(): PayloadTooLargeError {
  return new PayloadTooLargeError(`The file is larger than the limit of ${MAX_BYTES / 1024 / 1024} MiB; split it into several files`);
}
