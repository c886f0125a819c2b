import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Local processes for the tests, the benchmark and the demo (never the product): a free port, and
 * waiting until a started process answers its readiness probe.
 */

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export class ProcessNotReady extends Error {}

/** Resolves once `url` answers 2xx; throws if `child` exits first or `timeoutMs` passes. */
export async function waitUntilReady(
  url: string,
  child: ChildProcess,
  { timeoutMs = 30_000, name = 'the process' }: { timeoutMs?: number; name?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new ProcessNotReady(`${url} never came up: ${name} exited with code ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new ProcessNotReady(`${url} did not become ready within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
