import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEMO_PASSWORD, DEMO_TENANT, DEMO_USERS } from './company.js';

export interface GuideCommand {
  command: string;
  note?: string;
}

export const TOKEN_PLACEHOLDER = '<accessToken>';

/**
 * The commands the demo's guide prints, each one line that works pasted into a shell as printed
 * (non-ASCII query values go through --data-urlencode: raw UTF-8 in a URL is not HTTP). The smoke
 * run executes them all (runGuideCommands), so the guide cannot drift from the API.
 */
export function guideCommands(api: string, platformKey: string): GuideCommand[] {
  const auth = `-H 'Authorization: Bearer ${TOKEN_PLACEHOLDER}'`;
  const login = JSON.stringify({ tenant: DEMO_TENANT.slug, email: DEMO_USERS[0].email, password: DEMO_PASSWORD });
  return [
    { command: `curl -s ${api}/v1/auth/login -H 'Content-Type: application/json' -d '${login}'`, note: 'log in: copy accessToken' },
    { command: `curl -s ${api}/v1/users ${auth}` },
    { command: `curl -s -G ${api}/v1/employees --data-urlencode 'q=やまだ' ${auth}`, note: 'search by kana' },
    { command: `curl -s ${api}/v1/broadcasts ${auth}`, note: 'alerts, newest first' },
    { command: `curl -s ${api}/v1/employees/export ${auth} -o employees.csv` },
    {
      command: `curl -s '${api}/v1/employees/import?dryRun=true' ${auth} -H 'Content-Type: text/csv' --data-binary @employees.csv`,
      note: 'what an import would change',
    },
    { command: `curl -s ${api}/v1/tenants -H 'Authorization: Bearer ${platformKey}'`, note: 'platform operator' },
  ];
}

/** Runs each command as printed (the token filled in) in a scratch folder; throws on any non-200. */
export async function runGuideCommands(commands: GuideCommand[], accessToken: string): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'anpi-demo-guide-'));
  try {
    for (const { command } of commands) {
      const { stdout } = await promisify(execFile)('sh', ['-c', `${command.replaceAll(TOKEN_PLACEHOLDER, accessToken)} -w '\\n%{http_code}'`], { cwd: dir });
      const status = stdout.trim().split('\n').at(-1);
      if (status !== '200') throw new Error(`the guide's command answered ${status}: ${command}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
