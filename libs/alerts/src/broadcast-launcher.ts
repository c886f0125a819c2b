import { createHash } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AuditLog, type Actor } from '#anpi/audit';
import { AppConfig } from '#anpi/config';
import { TenantDb, isUniqueViolation, type Broadcast, type Channel, type Prisma, type TenantId, type Tx } from '#anpi/db';
import { JobName, QueueName } from '#anpi/queue';
import { broadcastView } from './broadcast-views.js';
import type { BroadcastView, LaunchBroadcastDto } from './dto/broadcast.dto.js';
import type { QuestionDto } from './dto/question.dto.js';
import { PRESET_PREFIX } from './presets.js';
import { TemplatesService, assertQuestions, notificationDetail } from './templates.service.js';
import { toJsonColumn } from './broadcast-content.js';
import { ConflictError, InvalidInputError } from '#anpi/errors';

export interface LaunchJobData {
  tenantId: string;
  broadcastId: string;
  /** Set once the snapshot exists and LINE's batches are queued, while the job waits for LINE. */
  lineQueued?: boolean;
}

export const launchJobId = (broadcastId: string) => `launch.${broadcastId}`;

/**
 * Accepts an alert: validates it, stores the broadcast and queues its launch. Resolving the
 * recipients is the worker's job, so this answers in milliseconds whatever the tenant's size.
 */
@Injectable()
export class BroadcastLauncher {
  constructor(
    private readonly db: TenantDb,
    private readonly templates: TemplatesService,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Broadcasts) private readonly queue: Queue,
  ) {}

  async launch(tenantId: TenantId, actor: Actor, dto: LaunchBroadcastDto, idempotencyKey?: string): Promise<{ broadcast: BroadcastView; replayed: boolean }> {
    const targets = this.targetsOf(dto);
    const requestHash = createHash('sha256').update(JSON.stringify(dto)).digest('hex');
    if (idempotencyKey) {
      const earlier = await this.db.run(tenantId, (tx) => tx.broadcast.findFirst({ where: { tenantId, idempotencyKey } }));
      if (earlier) return this.replay(earlier, requestHash);
    }
    let broadcast: Broadcast;
    try {
      broadcast = await this.db.run(tenantId, async (tx) => {
        const created = await tx.broadcast.create({ data: await this.content(tx, tenantId, actor, dto, targets, requestHash, idempotencyKey) });
        await this.audit.record(tx, tenantId, actor, {
          action: 'broadcast.launch',
          resourceType: 'broadcast',
          resourceId: created.id,
          details: { drill: created.drill, channels: created.channels, templateRef: created.templateRef, targets: Object.keys(targets) },
        });
        return created;
      });
    } catch (error) {
      // Two requests with the same key at the same moment: the second answers with the first's broadcast.
      if (idempotencyKey && isUniqueViolation(error)) {
        const earlier = await this.db.run(tenantId, (tx) => tx.broadcast.findFirstOrThrow({ where: { tenantId, idempotencyKey } }));
        return this.replay(earlier, requestHash);
      }
      throw error;
    }
    await this.enqueue(broadcast);
    return { broadcast: broadcastView(broadcast), replayed: false };
  }

  /** Exactly one of all, departmentIds, employeeIds (a 400 otherwise). */
  targetsOf(dto: LaunchBroadcastDto): Record<string, unknown> {
    return checkTargets(dto);
  }

  private async replay(earlier: Broadcast, requestHash: string): Promise<{ broadcast: BroadcastView; replayed: boolean }> {
    if (earlier.requestHash !== requestHash) {
      throw new ConflictError('idempotency_key_reused', 'This Idempotency-Key was used for a different alert; use a new key for a new alert', {
        broadcastId: earlier.id,
      });
    }
    // The first request may have stored the broadcast but died before queueing it: queue again (same job id, so once).
    if (earlier.status === 'queued') await this.enqueue(earlier);
    return { broadcast: broadcastView(earlier), replayed: true };
  }

  private async enqueue(broadcast: Broadcast): Promise<void> {
    const data: LaunchJobData = { tenantId: broadcast.tenantId, broadcastId: broadcast.id };
    await this.queue.add(JobName.LaunchBroadcast, data, { jobId: launchJobId(broadcast.id), attempts: 10, backoff: { type: 'exponential', delay: 500 } });
  }

  /** The broadcast a launch would store (checked as a launch is), for the launch and its preview. */
  async content(
    tx: Tx,
    tenantId: TenantId,
    actor: Actor,
    dto: LaunchBroadcastDto,
    targets: Record<string, unknown>,
    requestHash: string,
    idempotencyKey?: string,
  ): Promise<Prisma.BroadcastUncheckedCreateInput> {
    const template = dto.templateId ? await this.templates.content(tx, tenantId, dto.templateId) : null;
    if (dto.templateId && !template)
      throw InvalidInputError.field(
        'templateId',
        `templateId ${dto.templateId} is not a template of this tenant${dto.templateId.startsWith(PRESET_PREFIX) ? ' nor a preset' : ''}`,
      );
    const title = dto.title ?? template?.title;
    const body = dto.body ?? template?.body;
    if (!title) throw InvalidInputError.field('title', 'title is required without a template');
    if (!body) throw InvalidInputError.field('body', 'body is required without a template');
    const questions: QuestionDto[] = dto.questions ?? template?.questions ?? [];
    assertQuestions(questions);
    await this.assertTargetsExist(tx, tenantId, dto);
    return {
      tenantId,
      templateRef: dto.templateId ?? null,
      title,
      body,
      questions: toJsonColumn(questions),
      freeText: toJsonColumn(dto.freeText === undefined ? (template?.freeText ?? null) : dto.freeText),
      channels: dto.channels ?? (template && !dto.templateId?.startsWith(PRESET_PREFIX) ? template.channels : await this.defaultChannels(tx, tenantId)),
      notificationDetail: toJsonColumn({ ...(template?.notificationDetail ?? notificationDetail()), ...stripUndefined(dto.notificationDetail ?? {}) }),
      drill: dto.drill ?? template?.drill ?? false,
      lineQuickAnswer: dto.lineQuickAnswer ?? template?.lineQuickAnswer ?? true,
      reminder: toJsonColumn(dto.reminder === undefined ? (template?.reminder ?? null) : dto.reminder),
      escalation: toJsonColumn(dto.escalation === undefined ? (template?.escalation ?? null) : dto.escalation),
      targets: toJsonColumn(targets),
      idempotencyKey: idempotencyKey ?? null,
      requestHash,
      createdByType: actor.type,
      createdById: actor.id,
      senderName: await this.senderName(tx, tenantId, actor),
      answerExpiresAt: new Date(Date.now() + this.config.answerLinkTtlDays * 86_400_000),
    };
  }

  private async assertTargetsExist(tx: Tx, tenantId: TenantId, dto: LaunchBroadcastDto): Promise<void> {
    const { departmentIds, employeeIds } = dto.targets;
    if (departmentIds) {
      const found = await tx.department.count({ where: { tenantId, id: { in: departmentIds } } });
      if (found !== departmentIds.length)
        throw InvalidInputError.field('targets.departmentIds', 'targets.departmentIds must all be departments of this tenant');
    }
    if (employeeIds) {
      const found = await tx.employee.count({ where: { tenantId, id: { in: employeeIds }, erasedAt: null } });
      if (found !== employeeIds.length) throw InvalidInputError.field('targets.employeeIds', 'targets.employeeIds must all be employees of this tenant');
    }
  }

  /** Without channels named (or with a preset): LINE, LINE WORKS when the tenant has set it up, email, SMS. */
  private async defaultChannels(tx: Tx, tenantId: TenantId): Promise<Channel[]> {
    const settings = await tx.channelSettings.findUnique({ where: { tenantId }, select: { lineworksBotId: true } });
    return settings?.lineworksBotId ? ['line', 'lineworks', 'email', 'sms'] : ['line', 'email', 'sms'];
  }

  private async senderName(tx: Tx, tenantId: TenantId, actor: Actor): Promise<string> {
    if (actor.type === 'user' && actor.id) return (await tx.user.findFirst({ where: { id: actor.id, tenantId }, select: { name: true } }))?.name ?? '管理者';
    if (actor.type === 'api_key' && actor.id) return (await tx.apiKey.findFirst({ where: { id: actor.id, tenantId }, select: { name: true } }))?.name ?? 'API';
    return '安否確認システム';
  }
}

function checkTargets(dto: LaunchBroadcastDto): Record<string, unknown> {
  const given = (['all', 'departmentIds', 'employeeIds'] as const).filter((k) => dto.targets[k] !== undefined);
  if (given.length !== 1) throw InvalidInputError.field('targets', 'targets must have exactly one of all, departmentIds, employeeIds');
  return { [given[0]!]: dto.targets[given[0]!] };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
