import { ForbiddenException, Injectable } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, isUniqueViolation, isUuid, type Template, type TenantId, type Tx } from '#anpi/db';
import { questionProblems, type QuestionDto } from './dto/question.dto.js';
import type { CreateTemplateDto, NotificationDetailDto, TemplateView, UpdateTemplateDto } from './dto/template.dto.js';
import { DEFAULT_NOTIFICATION_DETAIL, PRESETS, PRESET_PREFIX, type NotificationDetail, type TemplateContent } from './presets.js';
import { content, toJsonColumn } from './broadcast-content.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '#anpi/errors';

/** Alert templates: the shipped presets (read-only) and each tenant's own. */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditLog,
  ) {}

  async list(tenantId: TenantId): Promise<TemplateView[]> {
    const own = await this.db.run(tenantId, (tx) => tx.template.findMany({ where: { tenantId }, orderBy: { name: 'asc' } }));
    return [...Object.entries(PRESETS).map(([key, content]) => presetView(key, content)), ...own.map(ownView)];
  }

  async get(tenantId: TenantId, id: string): Promise<TemplateView> {
    if (id.startsWith(PRESET_PREFIX)) {
      const content = PRESETS[id.slice(PRESET_PREFIX.length)];
      if (!content) throw NotFoundError.of('Template', id);
      return presetView(id.slice(PRESET_PREFIX.length), content);
    }
    const row = isUuid(id) ? await this.db.run(tenantId, (tx) => tx.template.findFirst({ where: { id, tenantId } })) : null;
    if (!row) throw NotFoundError.of('Template', id);
    return ownView(row);
  }

  /** The content a launch starts from. */
  async content(tx: Tx, tenantId: TenantId, ref: string): Promise<TemplateContent | null> {
    if (ref.startsWith(PRESET_PREFIX)) return PRESETS[ref.slice(PRESET_PREFIX.length)] ?? null;
    if (!isUuid(ref)) return null;
    const row = await tx.template.findFirst({ where: { id: ref, tenantId } });
    return row ? contentOf(row) : null;
  }

  async create(tenantId: TenantId, actor: Actor, dto: CreateTemplateDto): Promise<TemplateView> {
    assertQuestions(dto.questions);
    return this.db.run(tenantId, async (tx) => {
      const row = await this.write(() =>
        tx.template.create({
          data: {
            tenantId,
            name: dto.name,
            title: dto.title,
            body: dto.body,
            questions: toJsonColumn(dto.questions),
            freeText: toJsonColumn(dto.freeText ?? null),
            channels: dto.channels,
            notificationDetail: toJsonColumn(notificationDetail(dto.notificationDetail)),
            drill: dto.drill ?? false,
            lineQuickAnswer: dto.lineQuickAnswer ?? true,
            reminder: toJsonColumn(dto.reminder ?? null),
            escalation: toJsonColumn(dto.escalation ?? null),
          },
        }),
      );
      await this.audit.record(tx, tenantId, actor, { action: 'template.create', resourceType: 'template', resourceId: row.id });
      return ownView(row);
    });
  }

  async update(tenantId: TenantId, actor: Actor, id: string, dto: UpdateTemplateDto): Promise<TemplateView> {
    if (id.startsWith(PRESET_PREFIX)) throw readOnly();
    if (dto.questions) assertQuestions(dto.questions);
    return this.db.run(tenantId, async (tx) => {
      const current = isUuid(id) ? await tx.template.findFirst({ where: { id, tenantId } }) : null;
      if (!current) throw NotFoundError.of('Template', id);
      const row = await this.write(() =>
        tx.template.update({
          where: { id },
          data: {
            name: dto.name,
            title: dto.title,
            body: dto.body,
            questions: dto.questions && toJsonColumn(dto.questions),
            freeText: dto.freeText === undefined ? undefined : toJsonColumn(dto.freeText ?? null),
            channels: dto.channels,
            notificationDetail: dto.notificationDetail ? toJsonColumn(notificationDetail(dto.notificationDetail)) : undefined,
            drill: dto.drill,
            lineQuickAnswer: dto.lineQuickAnswer,
            reminder: dto.reminder === undefined ? undefined : toJsonColumn(dto.reminder ?? null),
            escalation: dto.escalation === undefined ? undefined : toJsonColumn(dto.escalation ?? null),
          },
        }),
      );
      await this.audit.record(tx, tenantId, actor, {
        action: 'template.update',
        resourceType: 'template',
        resourceId: id,
        details: { fields: Object.keys(dto) },
      });
      return ownView(row);
    });
  }

  async remove(tenantId: TenantId, actor: Actor, id: string): Promise<void> {
    if (id.startsWith(PRESET_PREFIX)) throw readOnly();
    await this.db.run(tenantId, async (tx) => {
      const deleted = isUuid(id) ? await tx.template.deleteMany({ where: { id, tenantId } }) : { count: 0 };
      if (deleted.count === 0) throw NotFoundError.of('Template', id);
      await this.audit.record(tx, tenantId, actor, { action: 'template.delete', resourceType: 'template', resourceId: id });
    });
  }

  private async write<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('name_taken', 'Another template already has this name');
      throw error;
    }
  }
}

export function notificationDetail(dto?: NotificationDetailDto): NotificationDetail {
  return { ...DEFAULT_NOTIFICATION_DETAIL, ...Object.fromEntries(Object.entries(dto ?? {}).filter(([, v]) => v !== undefined)) };
}

export function assertQuestions(questions: QuestionDto[]): void {
  const problems = questionProblems(questions);
  if (problems.length) {
    throw new InvalidInputError(problems.map((reason) => ({ field: 'questions', reason })));
  }
}

function contentOf(row: Template): TemplateContent {
  return {
    name: row.name,
    title: row.title,
    body: row.body,
    questions: content.questions(row.questions),
    freeText: content.freeText(row.freeText),
    channels: row.channels,
    notificationDetail: content.notificationDetail(row.notificationDetail),
    drill: row.drill,
    lineQuickAnswer: row.lineQuickAnswer,
    reminder: content.reminder(row.reminder),
    escalation: content.escalation(row.escalation),
  };
}

function ownView(row: Template): TemplateView {
  const content = contentOf(row);
  return {
    id: row.id,
    preset: false,
    ...content,
    lineQuickAnswer: row.lineQuickAnswer,
    reminder: content.reminder ?? null,
    escalation: content.escalation ?? null,
  };
}

function presetView(key: string, content: TemplateContent): TemplateView {
  return {
    id: `${PRESET_PREFIX}${key}`,
    preset: true,
    ...content,
    lineQuickAnswer: content.lineQuickAnswer ?? true,
    reminder: content.reminder ?? null,
    escalation: content.escalation ?? null,
  };
}

function readOnly(): ForbiddenException {
  return new ForbiddenError('preset_read_only', 'Presets are read-only; create a template from one instead');
}
