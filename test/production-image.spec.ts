import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import path from 'node:path';
import { finalStage } from '../scripts/production/dockerfile.js';

describe("the Dockerfile's final stage", () => {
  const stage = finalStage(readFileSync(path.resolve(import.meta.dirname, '../Dockerfile'), 'utf8'));

  it('runs scripts/anpi.mjs as the entry point, the api by default, as a user without privileges', () => {
    expect(stage.entrypoint).toEqual(['node', 'scripts/anpi.mjs']);
    expect(stage.command).toEqual(['api']);
    expect(stage.env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0' });
    const dockerfile = readFileSync(path.resolve(import.meta.dirname, '../Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*"scripts\/anpi\.mjs", "healthcheck"\]$/m);
  });

  it('copies production dependencies, the build, the migrations and the scripts the commands need', () => {
    expect(stage.copies).toEqual([
      { from: 'dependencies', sources: ['node_modules'], destination: 'node_modules' },
      { from: 'build', sources: ['dist'], destination: 'dist' },
      { from: null, sources: ['package.json', 'prisma.config.ts'], destination: '.' },
      { from: null, sources: ['prisma'], destination: 'prisma' },
      { from: null, sources: ['scripts/anpi.mjs', 'scripts/prisma.mjs', 'scripts/prisma-exit-promptly.cjs'], destination: 'scripts/' },
    ]);
  });

  it('reads continuation lines and quoted values', () => {
    const parsed = finalStage('FROM a AS b\nRUN x\nFROM c\nWORKDIR /srv\nENV A=1 \\\n    B="two words"\nCOPY --from=b /srv/out ./out\n');
    expect(parsed.env).toEqual({ A: '1', B: 'two words' });
    expect(parsed.copies).toEqual([{ from: 'b', sources: ['out'], destination: 'out' }]);
  });
});

describe('docker compose --profile app', () => {
  const compose = parse(readFileSync(path.resolve(import.meta.dirname, '../docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { image?: string; build?: string; command?: string[]; profiles?: string[]; depends_on?: Record<string, { condition: string }> }>;
  };

  it('builds the one image and runs migrations once, then the api and the worker', () => {
    const { migrate, api, worker } = compose.services;
    for (const service of [migrate, api, worker]) expect(service).toMatchObject({ image: 'anpi:local', build: '.', profiles: ['app'] });
    expect([migrate!.command, api!.command, worker!.command]).toEqual([['migrate'], ['api'], ['worker']]);
    for (const service of [api, worker]) expect(service!.depends_on!.migrate).toEqual({ condition: 'service_completed_successfully' });
    expect(migrate!.depends_on!.postgres).toEqual({ condition: 'service_healthy' });
  });

  it("keeps BullMQ's Redis on disk and never evicts its keys", () => {
    expect(compose.services.redis!.command).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']));
    expect(compose.services.redis!.profiles).toBeUndefined();
  });
});
