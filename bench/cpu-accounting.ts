import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time by process over a step, read from /proc (utime + stime of every process, all its
 * threads): the named processes (api pools, workers), PostgreSQL (every `postgres` process),
 * Redis, this benchmark process (the provider stand-ins and the load generator run in it), and
 * the rest of the machine. Processes that start and end within the step are not seen.
 */
export type CpuByRole = Record<string, number>;

const TICKS_PER_SECOND = 100; // CLK_TCK on Linux

export class CpuAccounting {
  constructor(private readonly roles: () => Record<number, string>) {}

  snapshot(): Map<number, { role: string; ms: number }> {
    const named = this.roles();
    const found = new Map<number, { role: string; ms: number }>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // ended meanwhile
      }
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      // Fields after the command: state is 3rd overall, utime the 14th and stime the 15th.
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
      const role =
        named[pid] ?? (pid === process.pid ? 'bench (stand-ins, load)' : comm === 'postgres' ? 'postgresql' : comm === 'redis-server' ? 'redis' : 'other');
      found.set(pid, { role, ms });
    }
    return found;
  }

  /** CPU milliseconds each role spent between two snapshots. */
  static between(before: Map<number, { role: string; ms: number }>, after: Map<number, { role: string; ms: number }>): CpuByRole {
    const used: CpuByRole = {};
    for (const [pid, { role, ms }] of after) {
      const spent = ms - (before.get(pid)?.ms ?? 0);
      if (spent > 0) used[role] = (used[role] ?? 0) + spent;
    }
    return Object.fromEntries(Object.entries(used).map(([role, ms]) => [role, Math.round(ms)]));
  }

  /** Per unit of work: ms of CPU per delivery or answer, by role, and the total. */
  static perUnit(used: CpuByRole, units: number): CpuByRole {
    const per = Object.fromEntries(Object.entries(used).map(([role, ms]) => [role, Math.round((ms / units) * 1000) / 1000]));
    per.total = Math.round((Object.values(used).reduce((a, b) => a + b, 0) / units) * 1000) / 1000;
    return per;
  }
}
