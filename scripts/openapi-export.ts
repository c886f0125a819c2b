/**
 * Writes the api's OpenAPI document to a file, without a database or Redis: Nest's preview mode
 * reads the controllers' metadata and instantiates nothing. The console's client types are
 * generated from this file by the build (npm run build:console), so a changed endpoint breaks the
 * console's type check.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '#anpi/config';
import { ApiModule } from '../apps/api/src/api.module.js';
import { buildOpenApiDocument } from '../apps/api/src/http/openapi.js';

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: node dist/scripts/openapi-export.js <out.json>\n');
  process.exit(2);
}
// Placeholders: nothing connects in preview mode; the document does not depend on them.
const config = loadConfig({
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/anpi',
  DATABASE_APP_URL: 'postgresql://anpi_app:x@127.0.0.1:5432/anpi',
  PLATFORM_API_KEY: 'openapi-export-placeholder-0123456789abcdef',
  JWT_SECRET: 'openapi-export-placeholder-0123456789abcdef',
  ANPI_SECRETS_KEY: `x:${Buffer.alloc(32, 1).toString('base64')}`,
  ANSWER_TOKEN_KEYS: 'x:openapi-export-placeholder-0123456789abcdef',
  JMA_POLL_SECONDS: '0',
});
const app = await NestFactory.create(ApiModule.register(config), { preview: true, logger: false, abortOnError: false });
const document = buildOpenApiDocument(app);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
await app.close();
process.stdout.write(`OpenAPI document: ${Object.keys(document.paths).length} paths → ${out}\n`);
