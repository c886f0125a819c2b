import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BadRequestException, HttpException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import busboy from 'busboy';
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
    throw new UnsupportedMediaTypeException(`Send the CSV as the request body (Content-Type: text/csv) or as the "file" field of multipart/form-data; got ${type || 'no Content-Type'}`);
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'anpi-import-'));
  const file = path.join(dir, 'upload.csv');
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    if (type === 'multipart/form-data') await receiveMultipart(req, file);
    else await receive(req, file);
  } catch (error) {
    await dispose();
    throw error instanceof HttpException ? error : new BadRequestException(`The upload could not be read: ${(error as Error).message}`);
  }
  return { open: () => createReadStream(file), dispose };
}

async function receive(source: Readable, file: string): Promise<void> {
  let bytes = 0;
  source.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > MAX_BYTES) source.destroy(tooLarge());
  });
  await pipeline(source, createWriteStream(file));
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
    form.on('close', () => (written ? written.then(resolve, reject) : reject(new BadRequestException('The form has no "file" field'))));
    req.pipe(form);
  });
}

function tooLarge(): PayloadTooLargeException {
  return new PayloadTooLargeException(`The file is larger than ${MAX_BYTES / 1024 / 1024} MiB`);
}
