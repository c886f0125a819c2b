/** What the Dockerfile's last stage puts in the image: its COPY lines and ENV values. */
export interface ImageStage {
  copies: { from: string | null; sources: string[]; destination: string }[];
  env: Record<string, string>;
  entrypoint: string[];
  command: string[];
}

/**
 * Reads the final stage of a Dockerfile (the lines after its last FROM), enough for the
 * production check to assemble the same files outside a container. Paths under the stage's
 * WORKDIR are made relative, so `/app/dist` and `dist` name the same thing.
 */
export function finalStage(dockerfile: string): ImageStage {
  const instructions = dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const last = instructions.map((line) => /^FROM\s/i.test(line)).lastIndexOf(true);
  if (last < 0) throw new Error('the Dockerfile has no FROM');
  const stage: ImageStage = { copies: [], env: {}, entrypoint: [], command: [] };
  let workdir = '/';
  for (const line of instructions.slice(last + 1)) {
    const [keyword, rest] = [line.split(/\s+/, 1)[0]!.toUpperCase(), line.replace(/^\S+\s+/, '')];
    if (keyword === 'WORKDIR') workdir = rest.endsWith('/') ? rest : `${rest}/`;
    if (keyword === 'ENV') {
      for (const m of rest.matchAll(/(\w+)=("([^"]*)"|\S+)/g)) stage.env[m[1]!] = m[3] ?? m[2]!;
    }
    if (keyword === 'ENTRYPOINT') stage.entrypoint = JSON.parse(rest) as string[];
    if (keyword === 'CMD') stage.command = JSON.parse(rest) as string[];
    if (keyword === 'COPY') {
      const words = rest.split(/\s+/);
      const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length) ?? null;
      const paths = words.filter((w) => !w.startsWith('--')).map((p) => relative(p, workdir));
      stage.copies.push({ from, sources: paths.slice(0, -1), destination: paths.at(-1)! });
    }
  }
  return stage;
}

function relative(p: string, workdir: string): string {
  const stripped = p.startsWith(workdir) ? p.slice(workdir.length) : p;
  return stripped.replace(/^\.\//, '') || '.';
}
