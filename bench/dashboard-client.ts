import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The dashboards of the benchmark: tally reads from a process of their own, as a browser would be,
 * apart from the load generator (whose garbage collections, after holding 100,000 answer links,
 * otherwise counted as the server's latency). Times run from the request until the whole body
 * has arrived.
 */
interface Target {
  token: string;
  broadcastId: string;
}

type Command = ({ cmd: 'poll'; department: string; intervalMs: number } | { cmd: 'series'; query: string; reads: number; warmup: number } | { cmd: 'stop' }) &
  Partial<Target> & { url?: string };

export class DashboardClient {
  private constructor(
    private readonly child: ChildProcess,
    /** The api the dashboards talk to. */
    readonly url: string,
  ) {}

  static start(url: string): DashboardClient {
    return new DashboardClient(fork(fileURLToPath(import.meta.url), ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }), url);
  }

  /** Reads the company tally and the department's in turn, one every `intervalMs`, until stopped. */
  poll(target: Target, department: string, intervalMs = 50): { stop(): Promise<{ company: number[]; deep: number[] }> } {
    this.child.send({ cmd: 'poll', url: this.url, ...target, department, intervalMs } satisfies Command);
    return { stop: () => this.ask<{ company: number[]; deep: number[] }>({ cmd: 'stop' }) };
  }

  /** `reads` sequential reads after `warmup` untimed ones. */
  series(target: Target, query: string, reads: number, warmup = 3): Promise<number[]> {
    return this.ask<number[]>({ cmd: 'series', url: this.url, ...target, query, reads, warmup });
  }

  close(): void {
    this.child.kill();
  }

  private ask<T>(command: Command): Promise<T> {
    return new Promise((resolve) => {
      this.child.once('message', (reply) => resolve(reply as T));
      this.child.send(command);
    });
  }
}

async function read(t: Target & { url: string }, query: string): Promise<number | null> {
  const started = performance.now();
  const res = await fetch(`${t.url}/v1/broadcasts/${t.broadcastId}/tally${query}`, { headers: { Authorization: `Bearer ${t.token}` } });
  await res.arrayBuffer();
  return res.ok ? performance.now() - started : null;
}

function child(): void {
  let polling: Promise<{ company: number[]; deep: number[] }> | null = null;
  let running = false;
  process.on('message', (message) => {
    const command = message as Command & Target & { url: string };
    if (command.cmd === 'poll') {
      running = true;
      polling = (async () => {
        const times = { company: [] as number[], deep: [] as number[] };
        for (let i = 0; running; i++) {
          const which = i % 2 === 0 ? 'company' : 'deep';
          const ms = await read(command, which === 'deep' ? `?department=${command.department}` : '');
          if (ms !== null) times[which].push(ms);
          await new Promise((resolve) => setTimeout(resolve, command.intervalMs));
        }
        return times;
      })();
    } else if (command.cmd === 'stop') {
      running = false;
      void polling!.then((times) => process.send!(times));
    } else {
      void (async () => {
        const times: number[] = [];
        for (let i = 0; i < command.warmup + command.reads; i++) {
          const ms = await read(command, command.query);
          if (i >= command.warmup && ms !== null) times.push(ms);
        }
        process.send!(times);
      })();
    }
  });
}

if (process.argv.includes('--child')) child();
