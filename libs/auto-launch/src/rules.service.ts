import { Injectable } from '@nestjs/common';
import { TemplatesService } from '#anpi/alerts';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, type AutoLaunchRule, type TenantId, type Tx } from '#anpi/db';
import { InvalidInputError, NotFoundError } from '#anpi/errors';
import {
  INTENSITY_MINIMUMS,
  TSUNAMI_MINIMUMS,
  type AutoLaunchRuleView,
  type CreateAutoLaunchRuleDto,
  type UpdateAutoLaunchRuleDto,
} from './dto/auto-launch-rule.dto.js';

type RuleFields = Omit<AutoLaunchRule, 'id' | 'tenantId' | 'createdAt' | 'updatedAt'>;

/** A tenant's automatic-launch rules (admins; every change audited). */
@Injectable()
export class AutoLaunchRulesService {
  constructor(
    private readonly db: TenantDb,
    private readonly templates: TemplatesService,
    private readonly audit: AuditLog,
  ) {}

  list(tenantId: TenantId): Promise<AutoLaunchRuleView[]> {
    return this.db.run(tenantId, async (tx) => (await tx.autoLaunchRule.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } })).map(ruleView));
  }

  get(tenantId: TenantId, id: string): Promise<AutoLaunchRuleView> {
    return this.db.run(tenantId, async (tx) => ruleView(await this.find(tx, tenantId, id)));
  }

  create(tenantId: TenantId, actor: Actor, dto: CreateAutoLaunchRuleDto): Promise<AutoLaunchRuleView> {
    return this.db.run(tenantId, async (tx) => {
      const fields = await this.checked(tx, tenantId, {
        name: dto.name,
        kind: dto.kind,
        minLevel: dto.kind === 'special_warning' ? null : (dto.minLevel ?? (dto.kind === 'tsunami' ? 'warning' : '5-')),
        prefectures: dto.prefectures ?? [],
        target: dto.target,
        affectedBy: dto.affectedBy ?? 'work',
        departmentIds: dto.departmentIds ?? [],
        templateId: dto.templateId,
        holdMinutes: dto.holdMinutes ?? 0,
        includeDrillTelegrams: dto.includeDrillTelegrams ?? false,
        suppressHours: dto.suppressHours ?? 6,
        locationCheckMinutes: dto.locationCheckMinutes ?? null,
        enabled: dto.enabled ?? true,
      });
      const rule = await tx.autoLaunchRule.create({ data: { tenantId, ...fields } });
      await this.audit.record(tx, tenantId, actor, {
        action: 'auto_launch_rule.create',
        resourceType: 'auto_launch_rule',
        resourceId: rule.id,
        details: summary(rule),
      });
      return ruleView(rule);
    });
  }

  update(tenantId: TenantId, actor: Actor, id: string, dto: UpdateAutoLaunchRuleDto): Promise<AutoLaunchRuleView> {
    return this.db.run(tenantId, async (tx) => {
      const current = await this.find(tx, tenantId, id);
      const given = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
      const { id: _id, tenantId: _tenant, createdAt: _created, updatedAt: _updated, ...stored } = current;
      const merged: RuleFields = { ...stored, ...given };
      if (dto.kind && dto.kind !== current.kind && dto.minLevel === undefined)
        merged.minLevel = dto.kind === 'special_warning' ? null : dto.kind === 'tsunami' ? 'warning' : '5-';
      if (merged.kind === 'special_warning') merged.minLevel = null;
      const fields = await this.checked(tx, tenantId, merged);
      const rule = await tx.autoLaunchRule.update({ where: { id }, data: fields });
      await this.audit.record(tx, tenantId, actor, {
        action: 'auto_launch_rule.update',
        resourceType: 'auto_launch_rule',
        resourceId: id,
        details: { fields: Object.keys(dto), ...summary(rule) },
      });
      return ruleView(rule);
    });
  }

  remove(tenantId: TenantId, actor: Actor, id: string): Promise<void> {
    return this.db.run(tenantId, async (tx) => {
      await this.find(tx, tenantId, id);
      await tx.autoLaunchRule.delete({ where: { id } });
      await this.audit.record(tx, tenantId, actor, { action: 'auto_launch_rule.delete', resourceType: 'auto_launch_rule', resourceId: id });
    });
  }

  /** The combination checks one field's decorator cannot make. */
  private async checked(tx: Tx, tenantId: TenantId, f: RuleFields): Promise<RuleFields> {
    if (f.kind === 'earthquake' && !(INTENSITY_MINIMUMS as readonly string[]).includes(f.minLevel ?? ''))
      throw InvalidInputError.field('minLevel', 'minLevel must be 4, 5-, 5+, 6-, 6+ or 7 for an earthquake rule');
    if (f.kind === 'tsunami' && !(TSUNAMI_MINIMUMS as readonly string[]).includes(f.minLevel ?? ''))
      throw InvalidInputError.field('minLevel', 'minLevel must be advisory, warning or major_warning for a tsunami rule');
    if (f.target === 'departments') {
      if (f.departmentIds.length === 0) throw InvalidInputError.field('departmentIds', 'departmentIds is required for target departments');
      const found = await tx.department.count({ where: { tenantId, id: { in: f.departmentIds } } });
      if (found !== f.departmentIds.length) throw InvalidInputError.field('departmentIds', 'departmentIds must all be departments of this tenant');
    } else f.departmentIds = [];
    if (f.locationCheckMinutes !== null && f.target !== 'affected')
      throw InvalidInputError.field('locationCheckMinutes', 'locationCheckMinutes applies to target affected only (everyone else was alerted anyway)');
    if (!(await this.templates.content(tx, tenantId, f.templateId)))
      throw InvalidInputError.field('templateId', `templateId ${f.templateId} is not a template of this tenant nor a preset`);
    f.prefectures = [...f.prefectures].sort((a, b) => a - b);
    return f;
  }

  private async find(tx: Tx, tenantId: TenantId, id: string): Promise<AutoLaunchRule> {
    const rule = await tx.autoLaunchRule.findFirst({ where: { id, tenantId } });
    if (!rule) throw NotFoundError.of('Automatic-launch rule', id);
    return rule;
  }
}

export function ruleView(r: AutoLaunchRule): AutoLaunchRuleView {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    minLevel: r.minLevel,
    prefectures: r.prefectures,
    target: r.target,
    affectedBy: r.affectedBy,
    departmentIds: r.departmentIds,
    templateId: r.templateId,
    holdMinutes: r.holdMinutes,
    includeDrillTelegrams: r.includeDrillTelegrams,
    suppressHours: r.suppressHours,
    locationCheckMinutes: r.locationCheckMinutes,
    enabled: r.enabled,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function summary(r: AutoLaunchRule): Record<string, unknown> {
  return { kind: r.kind, minLevel: r.minLevel, prefectures: r.prefectures, target: r.target, holdMinutes: r.holdMinutes, enabled: r.enabled };
}
