import { Injectable } from '@nestjs/common';
import { displayTitle, MessageComposer } from '#anpi/alerts';
import type { AnswerContext } from '#anpi/answers';
import { TenantDb, isUuid } from '#anpi/db';
import type { LineLink } from '../line-link-directory.js';

/** A linked LINE user's place in alerts: which recipient they are, and their personal links. */
@Injectable()
export class LinkedRecipients {
  constructor(
    private readonly db: TenantDb,
    private readonly composer: MessageComposer,
  ) {}

  /** The recipient a linked user is in one broadcast (a broadcast id belongs to one tenant). */
  async inBroadcast(links: LineLink[], broadcastId: string): Promise<AnswerContext | null> {
    if (!isUuid(broadcastId)) return null;
    for (const { tenantId, employeeId } of links) {
      const ctx = await this.db.run(tenantId, async (tx) => {
        const broadcast = await tx.broadcast.findFirst({ where: { id: broadcastId, tenantId } });
        const recipient = broadcast && (await tx.recipient.findFirst({ where: { tenantId, broadcastId, employeeId } }));
        return broadcast && recipient ? { tenantId, broadcast, recipient } : null;
      });
      if (ctx) return ctx;
    }
    return null;
  }

  /** Personal answer links of the alerts still open for this user, newest first. */
  async openLinks(links: LineLink[]): Promise<{ title: string; url: string }[]> {
    const found: { title: string; url: string; at: number }[] = [];
    for (const { tenantId, employeeId } of links) {
      const rows = await this.db.run(tenantId, (tx) =>
        tx.recipient.findMany({
          where: { tenantId, employeeId, broadcast: { closedAt: null, status: { not: 'cancelled' }, answerExpiresAt: { gt: new Date() } } },
          include: { broadcast: true },
          orderBy: { broadcast: { createdAt: 'desc' } },
          take: 3,
        }),
      );
      for (const { broadcast, ...recipient } of rows) {
        found.push({ title: displayTitle(broadcast), url: this.composer.answerLink(broadcast, recipient), at: broadcast.createdAt.getTime() });
      }
    }
    return found.sort((a, b) => b.at - a.at).slice(0, 3);
  }

  url(ctx: AnswerContext): { title: string; url: string } {
    return { title: displayTitle(ctx.broadcast), url: this.composer.answerLink(ctx.broadcast, ctx.recipient) };
  }
}
