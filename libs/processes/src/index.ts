import type { ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Local processes for the tests, the benchmark and the demo (never the product): a free port, and
 * waiting until a started process answers its readiness probe.
 */

/**
 * A TCP port free on 127.0.0.1 right now, for a process started next to listen on. Picked below the
 * kernel's ephemeral range where it has one: a port from that range can be taken by any outgoing
 * connection (the tests hold hundreds to PostgreSQL and Redis) before the process binds it.
 */
export async function freePort(): Promise<number> {
  const low = ephemeralLow();
  for (let attempt = 0; low !== null && attempt < 50; attempt++) {
    const port = await tryListen(randomInt(10_000, low));
    if (port !== null) return port;
  }
  const port = await tryListen(0);
  if (port === null) throw new Error('no free port');
  return port;
}

function ephemeralLow(): number | null {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 20_000 ? low : null;
  } catch {
    return null; // not Linux: the kernel's choice
  }
}

function tryListen(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : null));
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
