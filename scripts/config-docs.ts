import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '#anpi/config';

/**
 * docs/configuration.md, generated from the zod schema in libs/config (each variable's
 * `.meta({ description, section })` and its default): `npm run docs:config` writes it, and
 * test/configuration-doc.spec.ts fails when it no longer matches the schema.
 */
export function configurationDoc(): string {
  const lines = [
    '# Configuration',
    '',
    '<!-- Generated from libs/config/src/app-config.ts by `npm run docs:config`; edit the schema, not this file. -->',
    '',
    'The api and the worker read the same environment variables, validated at start (`libs/config`):',
    'a missing or malformed one stops the process with a message naming it and pointing here. Defaults',
    'suit a developer machine; production sets at least the secrets, `PUBLIC_BASE_URL`, the database',
    'and Redis, and the providers ([operations](operations.md)).',
  ];
  for (const [name, field] of Object.entries(configSchema.shape)) {
    const meta = (field.meta() ?? {}) as { section?: string; description?: string };
    if (!meta.description) throw new Error(`${name} has no description in the schema`);
    if (meta.section) lines.push('', `## ${meta.section}`, '', '| variable | default | |', '| --- | --- | --- |');
    lines.push(`| \`${name}\` | ${defaultOf(field)} | ${meta.description.replaceAll('|', '\\|')} |`);
  }
  lines.push(
    '',
    'The demo (`npm run demo`) fills in the secrets for a local run; `DEMO_OUTBOX_PORT` (default `PORT` + 2)',
    'is where it serves its outbox. The benchmark and the fault runs set their own.',
    '',
  );
  return lines.join('\n');
}

function defaultOf(field: (typeof configSchema.shape)[keyof typeof configSchema.shape]): string {
  const def = field.def as { type: string; defaultValue?: unknown };
  if (def.type === 'default') return `\`${String(def.defaultValue)}\``;
  if (def.type === 'optional') return 'unset';
  return '**required**';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/configuration.md');
  writeFileSync(target, configurationDoc());
  console.log(`wrote ${target}`);
}
