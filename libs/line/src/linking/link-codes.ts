import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { TenantDb, TenantDirectory, type TenantId } from '#anpi/db';
import { JobName, QueueName } from '#anpi/queue';
import { RedisService } from '#anpi/redis';
import type { KnownLineChannel } from '../line-channel-directory.js';

const SESSION_TTL_SECONDS = 10 * 60;
const MAX_ATTEMPTS = 5;
const WINDOW_SECONDS = 15 * 60;
const CODES_PER_IP = 10;
const CODES_PER_EMPLOYEE = 3;

export interface LinkCodeJobData {
  tenantId: string;
  employeeId: string;
  code: string;
}

interface Session {
  channelKey: string;
  tenantId: string | null;
  employeeId: string | null;
  codeHash: string;
}

export type CodeCheck = { status: 'ok'; tenantId: TenantId; employeeId: string } | { status: 'wrong'; attemptsLeft: number } | { status: 'expired' };

/**
 * Proving "I am employee X" without an invitation: employee code (and, on the shared account,
 * company code), then a 6-digit code sent to the email or mobile registered for that employee.
 * Whatever was typed, the page answers the same way and a session exists, so nobody learns
 * whether an employee code exists; codes are sent only to real employees. Five wrong codes end a
 * session; an address may start ten sessions and an employee receive three codes per 15 minutes.
 */
@Injectable()
export class LinkCodes {
  constructor(
    private readonly redis: RedisService,
    private readonly tenants: TenantDirectory,
    private readonly db: TenantDb,
    @InjectQueue(QueueName.Line) private readonly queue: Queue,
  ) {}

  /** A session id, or null when this address has started too many. */
  async start(channel: KnownLineChannel, companyCode: string, employeeCode: string, ip: string): Promise<string | null> {
    if (!(await this.within(this.redis.key('line-code', 'ip', ip), CODES_PER_IP))) return null;
    const employee = await this.findEmployee(channel, companyCode, employeeCode);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const session: Session = { channelKey: channel.key, tenantId: employee?.tenantId ?? null, employeeId: employee?.id ?? null, codeHash: hash(code) };
    const sessionId = randomBytes(18).toString('base64url');
    await this.redis.set(this.sessionKey(sessionId), JSON.stringify(session), 'EX', SESSION_TTL_SECONDS);
    if (employee && (await this.within(this.redis.key('line-code', 'employee', employee.id), CODES_PER_EMPLOYEE))) {
      const data: LinkCodeJobData = { tenantId: employee.tenantId, employeeId: employee.id, code };
      // The code must not linger in Redis once sent.
      await this.queue.add(JobName.SendLinkCode, data, { removeOnComplete: true, removeOnFail: true, attempts: 3 });
    }
    return sessionId;
  }

  async check(channelKey: string, sessionId: string, code: string): Promise<CodeCheck> {
    if (!/^[A-Za-z0-9_-]{24}$/.test(sessionId)) return { status: 'expired' };
    const key = this.sessionKey(sessionId);
    const raw = await this.redis.get(key);
    if (!raw) return { status: 'expired' };
    const session = JSON.parse(raw) as Session;
    if (session.channelKey !== channelKey) return { status: 'expired' };
    const attempts = await this.redis.hincrby(`${key}:attempts`, 'n', 1);
    await this.redis.expire(`${key}:attempts`, SESSION_TTL_SECONDS);
    const given = hash(String(code).normalize('NFKC').replace(/\D/g, ''));
    if (session.employeeId && session.tenantId && timingSafeEqual(Buffer.from(given), Buffer.from(session.codeHash))) {
      await this.redis.del(key, `${key}:attempts`);
      return { status: 'ok', tenantId: session.tenantId as TenantId, employeeId: session.employeeId };
    }
    if (attempts >= MAX_ATTEMPTS) {
      await this.redis.del(key, `${key}:attempts`);
      return { status: 'expired' };
    }
    return { status: 'wrong', attemptsLeft: MAX_ATTEMPTS - attempts };
  }

  private async findEmployee(channel: KnownLineChannel, companyCode: string, employeeCode: string): Promise<{ tenantId: TenantId; id: string } | null> {
    const code = employeeCode.normalize('NFKC').trim();
    if (!code || code.length > 64) return null;
    const tenantId =
      channel.tenantId ?? (await this.tenants.bySlug(companyCode.normalize('NFKC').trim().toLowerCase()).then((t) => (t?.status === 'active' ? t.id : null)));
    if (!tenantId) return null;
    const employee = await this.db.run(tenantId, (tx) =>
      tx.employee.findFirst({ where: { tenantId, code, active: true, erasedAt: null }, select: { id: true, emails: true, mobiles: true } }),
    );
    return employee && (employee.emails.length || employee.mobiles.length) ? { tenantId, id: employee.id } : null;
  }

  private async within(key: string, limit: number): Promise<boolean> {
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, WINDOW_SECONDS, 'NX').exec()) as [[unknown, number]];
    return count <= limit;
  }

  private sessionKey(sessionId: string): string {
    return this.redis.key('line-code', 'session', sessionId);
  }
}

function hash(code: string): string {
  return createHash('sha256').update(`anpi/line-code/${code}`).digest('hex');
}
