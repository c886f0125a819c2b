import { Injectable } from '@nestjs/common';
import { displayTitle, MessageComposer } from '#anpi/alerts';
import type { AnswerContext } from '#anpi/answers';
import { TenantDb, fromJsonRow, isUuid, type Broadcast, type Recipient, type TenantId } from '#anpi/db';
import type { LineLink } from '../line-link-directory.js';

/** A linked LINE user's place in alerts: which recipient they are, and their personal links. */
@Injectable()
export class LinkedRecipients {
  constructor(
    private readonly db: TenantDb,
    private readonly composer: MessageComposer,
  ) {}

  /**
   * The recipient a linked user is in one broadcast (a broadcast id belongs to one tenant). One
   * round trip per tenant the user is linked in (almost always one): every tap of 無事です or
   * 回答する asks this, tens of thousands a minute after an alert.
   */
  async inBroadcast(links: LineLink[], broadcastId: string): Promise<AnswerContext | null> {
    if (!isUuid(broadcastId)) return null;
    for (const { tenantId, employeeId } of links) {
      if (!isUuid(employeeId)) continue;
      const found = await this.db.once(
        tenantId,
        `SELECT to_jsonb(b) AS b, to_jsonb(r) AS r
         FROM broadcasts b JOIN recipients r ON r.broadcast_id = b.id AND r.tenant_id = b.tenant_id
         WHERE b.id = '${broadcastId}'::uuid AND b.tenant_id = anpi_current_tenant() AND r.employee_id = '${employeeId}'::uuid`,
      );
      const row = found?.rows[0] as { b: Record<string, unknown>; r: Record<string, unknown> } | undefined;
      if (row) return { tenantId, broadcast: fromJsonRow<Broadcast>(row.b), recipient: fromJsonRow<Recipient>(row.r) };
    }
    return null;
  }

  /**
   * The recipients many linked users are in one broadcast of one tenant, in one round trip (a
   * group of taps on the same alert), by employee id.
   */
  async inBroadcastMany(tenantId: TenantId, broadcastId: string, employeeIds: string[]): Promise<Map<string, AnswerContext>> {
    const found = new Map<string, AnswerContext>();
    const ids = employeeIds.filter(isUuid);
    if (!isUuid(broadcastId) || !ids.length) return found;
    const result = await this.db.once(
      tenantId,
      `SELECT to_jsonb(b) AS b, to_jsonb(r) AS r
       FROM broadcasts b JOIN recipients r ON r.broadcast_id = b.id AND r.tenant_id = b.tenant_id
       WHERE b.id = '${broadcastId}'::uuid AND b.tenant_id = anpi_current_tenant() AND r.employee_id = ANY('{${ids.join(',')}}'::uuid[])`,
    );
    for (const row of (result?.rows ?? []) as { b: Record<string, unknown>; r: Record<string, unknown> }[]) {
      const recipient = fromJsonRow<Recipient>(row.r);
      found.set(recipient.employeeId, { tenantId, broadcast: fromJsonRow<Broadcast>(row.b), recipient });
    }
    return found;
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
