import { Injectable } from '@nestjs/common';
import { PrismaService } from '#anpi/db';
import { RedisService } from '#anpi/redis';

export type CheckResult = { status: 'up' } | { status: 'down'; error: string };
export interface Readiness {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

const TIMEOUT_MS = 2_000;

/** Can this process do its work: are PostgreSQL and Redis answering? */
@Injectable()
export class ReadinessProbe {
  constructor(
    private readonly prisma: PrismaService,
    private readonly redis: RedisService,
  ) {}

  async check(): Promise<Readiness> {
    const [postgres, redis] = await Promise.all([probe(() => this.prisma.$queryRaw`SELECT 1`), probe(() => this.redis.ping())]);
    return { ready: postgres.status === 'up' && redis.status === 'up', checks: { postgres, redis } };
  }
}

async function probe(fn: () => Promise<unknown>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return { status: 'up' };
  } catch (error) {
    // The reason names the failure, not the connection string.
    return { status: 'down', error: error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}
