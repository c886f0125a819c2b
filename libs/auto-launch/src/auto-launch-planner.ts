import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AutomaticBroadcasts, content, type Targets } from '#anpi/alerts';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, type AutoLaunch, type JmaTelegram, type TenantId, type Tx } from '#anpi/db';
import type { Hazard, TelegramSummary } from '#anpi/jma';
import { prefectureName } from '#anpi/regions';
import { RedisService } from '#anpi/redis';
import { AdminNotices } from './admin-notices.js';
import { LocationChecks } from './location-checks.js';
import { aftershockVerdict, levelsOf, matchRules, reachesAnyone, targetsOf, titleOf, unionTargets, type RuleMatch } from './decision.js';

export type Effect = 'launched' | 'added' | 'cancelled' | 'suppressed' | 'unchanged' | 'unmatched';

const JMA_ACTOR: Actor = { type: 'jma', id: null };

/**
 * What one telegram does in one tenant. One quake (EventID) is one row of auto_launches per tenant
 * (unique in the database) and one broadcast: the first telegram that meets a rule launches it
 * (after the rule's hold), later ones of the same quake add the people they newly reach, a 取消
 * stops or closes it. A new quake inside the aftershock window of earlier launches launches only
 * if stronger or wider. Decisions for one tenant and quake are serialised by a Redis lock, so two
 * workers with two telegrams of one quake decide one after the other.
 */
@Injectable()
export class AutoLaunchPlanner {
  private readonly logger = new Logger(AutoLaunchPlanner.name);

  constructor(
    private readonly db: TenantDb,
    private readonly broadcasts: AutomaticBroadcasts,
    private readonly audit: AuditLog,
    private readonly notices: AdminNotices,
    private readonly locationChecks: LocationChecks,
    private readonly redis: RedisService,
  ) {}

  async apply(tenantId: TenantId, telegram: JmaTelegram): Promise<Effect> {
    const t = telegram.summary as unknown as TelegramSummary;
    const eventKey = `${t.status === '訓練' ? 'drill:' : ''}${t.eventId ?? `telegram:${telegram.id}`}`;
    return this.serialised(`${tenantId}:${eventKey}`, async () => {
      const existing = await this.db.run(tenantId, (tx) => tx.autoLaunch.findUnique({ where: { tenantId_eventKey: { tenantId, eventKey } } }));
      if (t.infoType === '取消') return existing?.state === 'launched' ? this.cancel(tenantId, existing, telegram) : 'unmatched';
      if (existing?.state === 'cancelled') return 'unmatched';
      const rules = await this.db.run(tenantId, (tx) => tx.autoLaunchRule.findMany({ where: { tenantId, enabled: true }, orderBy: { createdAt: 'asc' } }));
      const matches = matchRules(rules, t);
      if (existing?.state === 'launched') return this.widen(tenantId, existing, matches, telegram, t);
      if (matches.length === 0) return 'unmatched';
      return this.launch(tenantId, eventKey, existing, matches, telegram, t);
    });
  }

  private async launch(
    tenantId: TenantId,
    eventKey: string,
    existing: AutoLaunch | null,
    matches: RuleMatch[],
    telegram: JmaTelegram,
    t: TelegramSummary,
  ): Promise<Effect> {
    const hazard = t.hazard as Hazard;
    const drill = t.status === '訓練';
    const levels = levelsOf(matches, t);
    const ruleIds = matches.map((m) => m.rule.id);
    const windowHours = Math.max(...matches.map((m) => m.rule.suppressHours));
    const earlier =
      windowHours > 0
        ? await this.db.run(tenantId, (tx) =>
            tx.autoLaunch.findMany({
              where: {
                tenantId,
                state: 'launched',
                drill,
                kind: hazard,
                ruleIds: { hasSome: ruleIds },
                eventKey: { not: eventKey },
                createdAt: { gte: new Date(Date.now() - windowHours * 3_600_000) },
              },
              orderBy: { createdAt: 'desc' },
            }),
          )
        : [];
    const verdict = aftershockVerdict(
      hazard,
      levels,
      earlier.map((e) => ({ title: e.title, levels: e.levels as Record<string, number> })),
      windowHours,
    );
    const title = titleOf(t);
    const only = verdict.launch === 'new_prefectures' ? verdict.prefectures : undefined;
    const targets = targetsOf(matches, only);
    if (verdict.launch === 'none' || !reachesAnyone(targets)) {
      const reason =
        verdict.launch === 'none'
          ? verdict.reason
          : `aftershock within ${windowHours} h: the new prefectures are covered only by rules whose alert already reached everyone`;
      return this.suppress(tenantId, eventKey, existing, { hazard, drill, title, ruleIds, levels, reason }, telegram);
    }
    const first = matches[0]!.rule;
    const launchAt = new Date(Date.now() + first.holdMinutes * 60_000);
    const prefectures = only ?? [...new Set(matches.flatMap((m) => m.prefectures))].sort((a, b) => a - b);
    const sentLevels = only ? Object.fromEntries(Object.entries(levels).filter(([p]) => only.includes(Number(p)))) : levels;
    const source = { type: 'jma' as const, telegramId: telegram.id, entryId: telegram.entryId, eventId: t.eventId ?? telegram.id, ruleIds };
    const { broadcast, rowId } = await this.db.run(tenantId, async (tx) => {
      const broadcast = await this.broadcasts.create(tx, tenantId, { templateId: first.templateId, title, targets, drill, source });
      const data = {
        kind: hazard,
        drill,
        state: 'launched',
        reason: only ? `aftershock: only the prefectures not alerted yet (${only.map(prefectureName).join('・')})` : null,
        ruleIds,
        telegramIds: [telegram.id],
        broadcastId: broadcast.id,
        title,
        launchAt,
        prefectures,
        levels: sentLevels,
      };
      const row = existing
        ? await tx.autoLaunch.update({ where: { id: existing.id }, data: { ...data, telegramIds: [...existing.telegramIds, telegram.id] } })
        : await tx.autoLaunch.create({ data: { tenantId, eventKey, ...data } });
      await this.audit.record(tx, tenantId, JMA_ACTOR, {
        action: 'auto_launch.launch',
        resourceType: 'broadcast',
        resourceId: broadcast.id,
        details: { telegramId: telegram.id, entryId: telegram.entryId, eventId: t.eventId, ruleIds, prefectures, holdMinutes: first.holdMinutes, drill },
      });
      return { broadcast, rowId: row.id };
    });
    await this.broadcasts.enqueueLaunch(broadcast, launchAt.getTime() - Date.now());
    // Only an alert to the affected area leaves people out who may be there now.
    const check = matches.find((m) => m.rule.target === 'affected' && m.rule.locationCheckMinutes)?.rule.locationCheckMinutes;
    if (check) await this.locationChecks.schedule(tenantId, rowId, new Date(launchAt.getTime() + check * 60_000));
    this.logger.log({ msg: 'automatic launch', tenantId, broadcastId: broadcast.id, telegramId: telegram.id, holdMinutes: first.holdMinutes });
    await this.notices.send(
      tenantId,
      `自動送信: ${broadcast.drill ? '【訓練】' : ''}${title} / Automatic alert`,
      [
        `気象庁の情報 (${t.title}) により、安否確認を自動送信${first.holdMinutes ? `します (${first.holdMinutes}分後。取り消す場合はそれまでに)` : 'しました'}。`,
        `対象の都道府県: ${prefectures.map(prefectureName).join('・')}`,
        `An alert was launched automatically on JMA's ${t.kind} (EventID ${t.eventId ?? '-'})` +
          (first.holdMinutes ? `; it goes out in ${first.holdMinutes} minutes unless cancelled.` : '.'),
      ],
      broadcast.id,
    );
    return 'launched';
  }

  private async suppress(
    tenantId: TenantId,
    eventKey: string,
    existing: AutoLaunch | null,
    s: { hazard: Hazard; drill: boolean; title: string; ruleIds: string[]; levels: Record<string, number>; reason: string },
    telegram: JmaTelegram,
  ): Promise<Effect> {
    if (existing?.state === 'suppressed' && existing.telegramIds.includes(telegram.id)) return 'suppressed';
    await this.db.run(tenantId, async (tx) => {
      const data = {
        kind: s.hazard,
        drill: s.drill,
        state: 'suppressed',
        reason: s.reason,
        ruleIds: s.ruleIds,
        title: s.title,
        launchAt: new Date(),
        levels: s.levels,
      };
      if (existing) await tx.autoLaunch.update({ where: { id: existing.id }, data: { ...data, telegramIds: [...existing.telegramIds, telegram.id] } });
      else await tx.autoLaunch.create({ data: { tenantId, eventKey, ...data, telegramIds: [telegram.id], prefectures: [] } });
      await this.audit.record(tx, tenantId, JMA_ACTOR, {
        action: 'auto_launch.suppress',
        resourceType: 'auto_launch',
        resourceId: eventKey,
        details: { telegramId: telegram.id, entryId: telegram.entryId, ruleIds: s.ruleIds, reason: s.reason },
      });
    });
    await this.notices.send(tenantId, `自動送信を見送りました: ${s.title} / Automatic alert suppressed`, [
      '余震のため、安否確認の自動送信を見送りました。必要な場合は手動で送信してください。',
      `理由 / Reason: ${s.reason}`,
    ]);
    return 'suppressed';
  }

  private async widen(tenantId: TenantId, existing: AutoLaunch, matches: RuleMatch[], telegram: JmaTelegram, t: TelegramSummary): Promise<Effect> {
    if (existing.telegramIds.includes(telegram.id)) return 'unchanged';
    const levels = { ...(existing.levels as Record<string, number>) };
    for (const [p, l] of Object.entries(levelsOf(matches, t))) levels[p] = Math.max(levels[p] ?? 0, l);
    const fresh = [...new Set(matches.flatMap((m) => m.prefectures))].filter((p) => !existing.prefectures.includes(p)).sort((a, b) => a - b);
    const record = (data: object) =>
      this.db.run(tenantId, (tx) =>
        tx.autoLaunch.update({ where: { id: existing.id }, data: { ...data, levels, telegramIds: [...existing.telegramIds, telegram.id] } }),
      );
    if (fresh.length === 0 || !existing.broadcastId) {
      await record({});
      return 'unchanged';
    }
    const current = await this.db.run(tenantId, (tx) => tx.broadcast.findFirst({ where: { id: existing.broadcastId!, tenantId }, select: { targets: true } }));
    const wider: Targets = unionTargets(current ? content.targets(current.targets) : {}, targetsOf(matches, fresh));
    const number = existing.additions + 1;
    const added = await this.broadcasts.widen(tenantId, existing.broadcastId, wider, number);
    await this.db.run(tenantId, async (tx) => {
      await tx.autoLaunch.update({
        where: { id: existing.id },
        data: {
          levels,
          telegramIds: [...existing.telegramIds, telegram.id],
          prefectures: [...existing.prefectures, ...fresh].sort((a, b) => a - b),
          additions: number,
        },
      });
      await this.audit.record(tx, tenantId, JMA_ACTOR, {
        action: 'auto_launch.widen',
        resourceType: 'broadcast',
        resourceId: existing.broadcastId,
        details: { telegramId: telegram.id, entryId: telegram.entryId, prefectures: fresh, added },
      });
    });
    this.logger.log({ msg: 'automatic launch widened', tenantId, broadcastId: existing.broadcastId, telegramId: telegram.id, added });
    return 'added';
  }

  private async cancel(tenantId: TenantId, existing: AutoLaunch, telegram: JmaTelegram): Promise<Effect> {
    const broadcastId = existing.broadcastId!;
    const held = await this.db.run(tenantId, async (tx) => {
      const stopped = await this.broadcasts.cancelHeld(tx, tenantId, broadcastId);
      if (stopped) await this.recordCancel(tx, tenantId, existing, telegram, 'JMA cancelled the information (取消) during the hold: nothing was sent');
      return stopped;
    });
    if (!held) {
      const notices = await this.broadcasts.closeCancelled(tenantId, broadcastId, '気象庁が情報を取り消しました (取消) / JMA cancelled the information');
      await this.db.run(tenantId, (tx) =>
        this.recordCancel(
          tx,
          tenantId,
          existing,
          telegram,
          `JMA cancelled the information (取消) after sending: ${notices} notices sent, the broadcast closed`,
        ),
      );
    }
    await this.notices.send(
      tenantId,
      `自動送信の取消: ${existing.title} / Automatic alert cancelled`,
      [
        held
          ? '気象庁が情報を取り消したため、保留中の安否確認を中止しました (送信していません)。'
          : '気象庁が情報を取り消したため、送信済みの安否確認を締め切り、受信者に取消のお知らせを送りました。',
        held
          ? 'JMA cancelled the information during the hold: nothing was sent.'
          : 'JMA cancelled the information: everyone reached was told, and the broadcast is closed.',
      ],
      broadcastId,
    );
    return 'cancelled';
  }

  private async recordCancel(tx: Tx, tenantId: TenantId, existing: AutoLaunch, telegram: JmaTelegram, reason: string): Promise<void> {
    await tx.autoLaunch.update({ where: { id: existing.id }, data: { state: 'cancelled', reason, telegramIds: [...existing.telegramIds, telegram.id] } });
    await this.audit.record(tx, tenantId, JMA_ACTOR, {
      action: 'auto_launch.cancel',
      resourceType: 'broadcast',
      resourceId: existing.broadcastId,
      details: { telegramId: telegram.id, entryId: telegram.entryId, reason },
    });
  }

  /** One decision at a time per tenant and quake, across workers. */
  private async serialised<T>(name: string, work: () => Promise<T>): Promise<T> {
    const key = this.redis.key('auto-launch', name);
    const token = randomUUID();
    for (let waited = 0; (await this.redis.set(key, token, 'PX', 120_000, 'NX')) !== 'OK'; waited += 100) {
      if (waited > 60_000) throw new Error(`another worker has held the decision lock for ${name} over a minute`);
      await sleep(100);
    }
    try {
      return await work();
    } finally {
      await this.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0", 1, key, token);
    }
  }
}
