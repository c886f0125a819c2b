import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The architecture, pinned: which libs each lib imports (the graph as it is, config,
 * observability, validation at the bottom … line at the top), no reaching into another lib's
 * files, and which libs write each table. A new edge or a new writer must be declared here, on
 * purpose, in review.
 */
const ROOT = path.resolve(import.meta.dirname, '..');

const LIB_DEPENDENCIES: Record<string, string[]> = {
  // Foundations: no dependencies on other libs.
  config: [],
  observability: [],
  validation: [],
  tokens: [],
  regions: [],
  errors: [],
  processes: [],
  'stand-ins': [],
  // Infrastructure.
  db: ['config'],
  redis: ['config'],
  queue: ['config', 'observability'],
  audit: ['db', 'errors'],
  // Counters and histograms for /metrics; the domains below record into it.
  metrics: ['accounts', 'config', 'db', 'errors'],
  // Domains, lowest first.
  directory: ['audit', 'db', 'errors', 'regions', 'validation'],
  tenancy: ['audit', 'db', 'errors', 'validation'],
  channels: ['audit', 'config', 'db', 'errors', 'redis', 'validation'],
  accounts: ['audit', 'config', 'db', 'errors', 'queue', 'redis', 'validation'],
  billing: ['audit', 'channels', 'config', 'db', 'errors', 'queue', 'redis', 'validation'],
  tallies: ['db', 'directory', 'errors', 'metrics', 'queue', 'redis'],
  alerts: [
    'audit',
    'billing',
    'channels',
    'config',
    'db',
    'directory',
    'errors',
    'metrics',
    'observability',
    'queue',
    'regions',
    'tallies',
    'tokens',
    'validation',
  ],
  answers: ['alerts', 'audit', 'db', 'directory', 'errors', 'metrics', 'tallies', 'validation'],
  health: ['accounts', 'db', 'redis'],
  jma: ['config', 'db', 'metrics', 'queue', 'redis', 'regions', 'validation'],
  'auto-launch': ['alerts', 'audit', 'channels', 'config', 'db', 'errors', 'jma', 'queue', 'redis', 'regions', 'validation'],
  'email-events': ['alerts', 'channels', 'config', 'db'],
  line: ['alerts', 'answers', 'audit', 'channels', 'config', 'db', 'errors', 'queue', 'redis', 'tokens', 'validation'],
  // The inbox is LINE's: LINE WORKS messages are recorded through its InboxRecorder.
  lineworks: ['alerts', 'answers', 'channels', 'db', 'line', 'queue'],
};

/** Who may write (INSERT, UPDATE, DELETE; Prisma create/update/upsert/delete) each table. */
const TABLE_WRITERS: Record<string, string[]> = {
  answer_short_links: ['alerts'],
  answers: ['answers'],
  auto_launch_rules: ['auto-launch'],
  auto_launches: ['auto-launch'],
  api_keys: ['accounts'],
  audit_log: ['audit'],
  broadcasts: ['alerts'],
  channel_settings: ['channels'],
  deliveries: ['alerts'],
  departments: ['directory'],
  employee_departments: ['directory'],
  // line: the LINE link fields, written only by the LINE integration.
  employees: ['directory', 'line'],
  // directory: cleared by admins; email-events: flagged by the provider's bounce reports.
  email_bounces: ['directory', 'email-events'],
  email_webhook_events: ['email-events'],
  inbox_messages: ['line'],
  jma_feed_state: ['jma'],
  jma_telegrams: ['jma'],
  invoice_lines: ['billing'],
  invoice_usage: ['billing'],
  invoices: ['billing'],
  line_link_nonces: ['line'],
  line_reconciliations: ['billing'],
  line_webhook_events: ['line'],
  lineworks_callback_events: ['lineworks'],
  // lineworks: learned from verified taps; directory: erasure.
  lineworks_users: ['directory', 'lineworks'],
  plans: ['billing'],
  // alerts: the launch snapshot and delivery times; answers: the current answer and first opening;
  // directory: erasure of a person's data.
  recipients: ['alerts', 'answers', 'directory'],
  refresh_tokens: ['accounts'],
  templates: ['alerts'],
  tenant_plans: ['billing'],
  tenants: ['tenancy'],
  // Billing's own statement, embedded by the send path (meterSentDeliveriesSql).
  usage_ledger: ['billing'],
  usage_notices: ['billing'],
  user_departments: ['accounts'],
  users: ['accounts'],
};

function files(dir: string, extension = '.ts'): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    // Generated code (the Prisma client, the console's OpenAPI types) is not written by us.
    if (name === 'generated' || name === 'node_modules' || name.endsWith('.d.ts')) return [];
    return statSync(full).isDirectory() ? files(full, extension) : full.endsWith(extension) ? [full] : [];
  });
}

const libs = readdirSync(path.join(ROOT, 'libs')).filter((name) => statSync(path.join(ROOT, 'libs', name)).isDirectory());
const sources = (lib: string) => files(path.join(ROOT, 'libs', lib, 'src'));
const imports = (text: string) => [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);

describe('architecture', () => {
  it('has every lib declared, and each lib imports exactly the libs declared for it', () => {
    expect(libs.filter((lib) => !(lib in LIB_DEPENDENCIES))).toEqual([]);
    const actual = Object.fromEntries(
      libs.map((lib) => {
        const used = new Set<string>();
        for (const file of sources(lib).filter((f) => !f.endsWith('.spec.ts'))) {
          for (const spec of imports(readFileSync(file, 'utf8'))) {
            const match = /^#anpi\/([a-z-]+)$/.exec(spec);
            if (match && match[1] !== lib) used.add(match[1]!);
          }
        }
        return [lib, [...used].sort()];
      }),
    );
    expect(actual).toEqual(Object.fromEntries(libs.map((lib) => [lib, [...LIB_DEPENDENCIES[lib]!].sort()])));
  });

  it('has no cycle among the libs', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (lib: string, trail: string[]): void => {
      if (state.get(lib) === 'done') return;
      if (state.get(lib) === 'visiting') throw new Error(`cycle: ${[...trail, lib].join(' → ')}`);
      state.set(lib, 'visiting');
      for (const dep of LIB_DEPENDENCIES[lib] ?? []) visit(dep, [...trail, lib]);
      state.set(lib, 'done');
    };
    expect(() => Object.keys(LIB_DEPENDENCIES).forEach((lib) => visit(lib, []))).not.toThrow();
  });

  it('never reaches into another lib or app through a file path, only through #anpi/<lib>', () => {
    const offenders: string[] = [];
    const owners = [...libs.map((lib) => path.join(ROOT, 'libs', lib)), ...readdirSync(path.join(ROOT, 'apps')).map((app) => path.join(ROOT, 'apps', app))];
    for (const owner of owners) {
      for (const file of files(path.join(owner, 'src'))) {
        for (const spec of imports(readFileSync(file, 'utf8'))) {
          if (/^#anpi\/[a-z-]+\//.test(spec)) offenders.push(`${path.relative(ROOT, file)}: ${spec}`);
          if (!spec.startsWith('.')) continue;
          const target = path.resolve(path.dirname(file), spec);
          if (!target.startsWith(owner + path.sep)) offenders.push(`${path.relative(ROOT, file)}: ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('writes each table only from the libs declared for it (raw SQL and Prisma calls)', () => {
    const schema = files(path.join(ROOT, 'prisma/schema'), '.prisma')
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const tableOf = new Map<string, string>();
    for (const m of schema.matchAll(/model (\w+) \{([\s\S]*?)\n\}/g)) {
      const table = /@@map\("([^"]+)"\)/.exec(m[2]!)?.[1] ?? m[1]!;
      tableOf.set(m[1]![0]!.toLowerCase() + m[1]!.slice(1), table);
    }
    const actual: Record<string, Set<string>> = {};
    for (const lib of libs) {
      for (const file of sources(lib).filter((f) => !f.endsWith('.spec.ts'))) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([a-z_]+)"?/g)) (actual[m[1]!] ??= new Set()).add(lib);
        for (const m of text.matchAll(/\.(\w+)\.(?:create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany)\(/g)) {
          const table = tableOf.get(m[1]!);
          if (table) (actual[table] ??= new Set()).add(lib);
        }
      }
    }
    const undeclared = Object.entries(actual).flatMap(([table, writers]) =>
      [...writers].filter((lib) => !TABLE_WRITERS[table]?.includes(lib)).map((lib) => `${lib} writes ${table}`),
    );
    expect(undeclared).toEqual([]);
    expect(Object.keys(TABLE_WRITERS).filter((table) => ![...tableOf.values()].includes(table))).toEqual([]);
  });

  it('builds error bodies only in libs/errors: everything else throws its typed errors', () => {
    // The request-reading middleware answers before Nest's filter exists, so it renders the same shape itself.
    const renderers = ['apps/api/src/http/request-errors.ts', 'apps/api/src/http/client-errors.ts'];
    const owners = [...libs.map((lib) => path.join(ROOT, 'libs', lib)), ...readdirSync(path.join(ROOT, 'apps')).map((app) => path.join(ROOT, 'apps', app))];
    const offenders = owners
      .filter((owner) => !owner.endsWith(`${path.sep}errors`))
      .flatMap((owner) => files(path.join(owner, 'src')))
      .filter((file) => !file.endsWith('.spec.ts') && !renderers.includes(path.relative(ROOT, file)))
      .filter((file) => /\bstatusCode:\s*(\d{3}|HttpStatus\.)|\berror:\s*'(Not Found|Conflict|Bad Request|Forbidden)'/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(ROOT, file));
    expect(offenders).toEqual([]);
  });

  it('is the graph and the table owners docs/architecture.md shows', () => {
    const rows = readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8')
      .split('\n')
      .map((line) => /^\| `([a-z-]+)` \| (.*) \| (.*) \|$/.exec(line))
      .filter((m) => m !== null);
    const list = (cell: string) => (cell === '—' ? [] : cell.split(', ').map((x) => x.replaceAll('`', '')));
    expect(Object.fromEntries(rows.map((m) => [m[1], list(m[2]!)]))).toEqual(LIB_DEPENDENCIES);
    const writers: Record<string, string[]> = {};
    for (const m of rows) for (const table of list(m[3]!)) (writers[table] ??= []).push(m[1]!);
    expect(Object.fromEntries(Object.entries(writers).map(([t, w]) => [t, w.sort()]))).toEqual(
      Object.fromEntries(Object.entries(TABLE_WRITERS).map(([t, w]) => [t, [...w].sort()])),
    );
  });

  it('keeps every line of TypeScript within 160 characters (Prettier cannot break strings)', () => {
    const long = ['apps', 'libs', 'test', 'bench', 'scripts']
      .flatMap((dir) => [...files(path.join(ROOT, dir)), ...files(path.join(ROOT, dir), '.tsx')])
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, i) => (line.length > 160 ? [`${path.relative(ROOT, file)}:${i + 1}`] : [])),
      );
    expect(long).toEqual([]);
  });
});
