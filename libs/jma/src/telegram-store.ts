import { Injectable } from '@nestjs/common';
import { PlatformDb, ONE_SNAPSHOT, type JmaTelegram, type Prisma } from '#anpi/db';
import type { ListTelegramsQuery, TelegramEffectsView, TelegramPage, TelegramView } from './dto/telegram.dto.js';
import type { TelegramSummary } from './telegram.js';

export interface NewTelegram {
  entryId: string;
  receivedVia: 'feed' | 'manual';
  xml: string;
  summary: TelegramSummary | null;
  kind: string | null;
  outcome: 'accepted' | 'rejected' | 'ignored';
  reason: string | null;
}

/** Telegrams as the platform keeps them: one row per Atom entry, whatever comes twice. */
@Injectable()
export class TelegramStore {
  constructor(private readonly platform: PlatformDb) {}

  /** Which of these entries are stored already (so their XML is never downloaded again). */
  async knownEntries(entryIds: string[]): Promise<Set<string>> {
    if (entryIds.length === 0) return new Set();
    const rows = await this.platform.run((tx) => tx.jmaTelegram.findMany({ where: { entryId: { in: entryIds } }, select: { entryId: true } }));
    return new Set(rows.map((r) => r.entryId));
  }

  /** Stores the telegram unless its entry is stored already; `fresh` says which happened. */
  async save(t: NewTelegram): Promise<{ telegram: JmaTelegram; fresh: boolean }> {
    return this.platform.run(async (tx) => {
      const s = t.summary;
      const inserted = await tx.jmaTelegram.createManyAndReturn({
        data: [
          {
            entryId: t.entryId,
            receivedVia: t.receivedVia,
            kind: s?.kind ?? t.kind,
            title: s?.title ?? null,
            status: s?.status ?? null,
            infoType: s?.infoType ?? null,
            eventId: s?.eventId ?? null,
            serial: s?.serial ?? null,
            reportedAt: s ? new Date(s.reportedAt) : null,
            summary: (s ?? undefined) as Prisma.InputJsonValue | undefined,
            outcome: t.outcome,
            reason: t.reason,
            xml: t.xml,
          },
        ],
        skipDuplicates: true,
      });
      if (inserted[0]) return { telegram: inserted[0], fresh: true };
      return { telegram: await tx.jmaTelegram.findUniqueOrThrow({ where: { entryId: t.entryId } }), fresh: false };
    });
  }

  get(id: string): Promise<JmaTelegram | null> {
    return this.platform.run((tx) => tx.jmaTelegram.findUnique({ where: { id } }));
  }

  async recordEffects(id: string, effects: TelegramEffectsView): Promise<void> {
    await this.platform.run((tx) => tx.jmaTelegram.update({ where: { id }, data: { effects: { ...effects }, evaluatedAt: new Date() } }));
  }

  async list(query: ListTelegramsQuery): Promise<TelegramPage> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const where = query.outcome ? { outcome: query.outcome } : {};
    const { rows, total } = await this.platform.run(async (tx) => {
      const rows = await tx.jmaTelegram.findMany({ where, orderBy: { receivedAt: 'desc' }, take: limit, skip: offset });
      return { rows, total: await tx.jmaTelegram.count({ where }) };
    }, ONE_SNAPSHOT);
    return { items: rows.map(telegramView), total, limit, offset };
  }

  async feedState(feed: string): Promise<{ etag: string | null; lastModified: string | null; polledAt: Date | null }> {
    const row = await this.platform.run((tx) => tx.jmaFeedState.findUnique({ where: { feed } }));
    return { etag: row?.etag ?? null, lastModified: row?.lastModified ?? null, polledAt: row?.polledAt ?? null };
  }

  async saveFeedState(feed: string, state: { etag?: string | null; lastModified?: string | null }): Promise<void> {
    const data = { ...state, polledAt: new Date() };
    await this.platform.run((tx) => tx.jmaFeedState.upsert({ where: { feed }, create: { feed, ...data }, update: data }));
  }
}

export function telegramView(t: JmaTelegram): TelegramView {
  return {
    id: t.id,
    entryId: t.entryId,
    receivedVia: t.receivedVia,
    kind: t.kind,
    title: t.title,
    status: t.status,
    infoType: t.infoType,
    eventId: t.eventId,
    serial: t.serial,
    reportedAt: t.reportedAt,
    outcome: t.outcome,
    reason: t.reason,
    summary: t.summary as Record<string, unknown> | null,
    effects: t.effects as TelegramEffectsView | null,
    receivedAt: t.receivedAt,
    evaluatedAt: t.evaluatedAt,
  };
}
