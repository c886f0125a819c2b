import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { ChannelSettingsService, LineChannel, LineWorksChannel, PermanentDeliveryError, TransientDeliveryError, type LineCredentials } from '#anpi/channels';
import { TenantDb, ONE_SNAPSHOT, type Prisma, type TenantId } from '#anpi/db';
import type { InboxMessageView, InboxPage } from '../dto/line.dto.js';
import { LINEWORKS_PREFIX } from './inbox-channel.js';
import { ConflictError, NotFoundError, UnavailableError, UnprocessableError } from '#anpi/errors';

const WITH_EMPLOYEE = { employee: { include: { department: { select: { name: true } } } } } as const;

/** The tenant's inbox of what employees wrote on LINE or to its LINE WORKS bot, and admins' replies to it. */
@Injectable()
export class InboxService {
  constructor(
    private readonly db: TenantDb,
    private readonly settings: ChannelSettingsService,
    private readonly line: LineChannel,
    private readonly lineworks: LineWorksChannel,
    private readonly audit: AuditLog,
  ) {}

  async list(tenantId: TenantId, limit = 50, offset = 0): Promise<InboxPage> {
    // One query at a time: a transaction's queries run on one connection.
    const { rows, total } = await this.db.run(
      tenantId,
      async (tx) => {
        const rows = await tx.inboxMessage.findMany({
          where: { tenantId },
          include: WITH_EMPLOYEE,
          orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
          take: limit,
          skip: offset,
        });
        return { rows, total: await tx.inboxMessage.count({ where: { tenantId } }) };
      },
      ONE_SNAPSHOT,
    );
    return { items: rows.map(view), total, limit, offset };
  }

  /** Sends the reply where the message came from (LINE, or the LINE WORKS bot) and keeps it beside the message. */
  async reply(tenantId: TenantId, actor: Actor, id: string, text: string): Promise<InboxMessageView> {
    const { message, line } = await this.db.run(tenantId, async (tx) => ({
      message: await tx.inboxMessage.findFirst({ where: { id, tenantId } }),
      line: (await this.settings.resolve(tx, tenantId)).line,
    }));
    if (!message) throw new NotFoundError(`Inbox message ${id} not found`);
    if (message.channelKey.startsWith(LINEWORKS_PREFIX)) await this.replyOnLineWorks(tenantId, message.channelKey, message.lineUserId, text);
    else await this.replyOnLine(line, message.channelKey, message.lineUserId, text);
    const saved = await this.db.run(tenantId, async (tx) => {
      const row = await tx.inboxMessage.update({
        where: { id },
        data: { replyText: text, repliedAt: new Date(), repliedBy: actor.type === 'user' ? actor.id : null },
        include: WITH_EMPLOYEE,
      });
      await this.audit.record(tx, tenantId, actor, {
        action: 'inbox.reply',
        resourceType: 'inbox_message',
        resourceId: id,
        details: { employeeId: message.employeeId },
      });
      return row;
    });
    return view(saved);
  }

  private async replyOnLine(line: LineCredentials | null, channelKey: string, userId: string, text: string): Promise<void> {
    if (!line || line.channelKey !== channelKey) {
      throw new ConflictError(
        'line_channel_changed',
        'The message came through a LINE channel this account no longer uses: the employee cannot be reached there',
      );
    }
    try {
      await this.line.push(line, userId, [{ type: 'text', text }], randomUUID());
    } catch (error) {
      if (error instanceof PermanentDeliveryError) throw new UnprocessableError('line_refused', `LINE refused the reply: ${error.message}`);
      if (error instanceof TransientDeliveryError) throw new UnavailableError('LINE is not answering; try again shortly');
      throw error;
    }
  }

  /** A message that came to the tenant's LINE WORKS bot (channel key lineworks:<bot id>) is answered there. */
  private async replyOnLineWorks(tenantId: TenantId, channelKey: string, userId: string, text: string): Promise<void> {
    const { lineworks } = await this.db.run(tenantId, (tx) => this.settings.resolve(tx, tenantId));
    if (!lineworks || `${LINEWORKS_PREFIX}${lineworks.botId}` !== channelKey) {
      throw new ConflictError(
        'lineworks_bot_changed',
        'The message came through a LINE WORKS bot this account no longer uses: the employee cannot be reached there',
      );
    }
    try {
      await this.lineworks.send(lineworks, userId, { type: 'text', text });
    } catch (error) {
      if (error instanceof PermanentDeliveryError) throw new UnprocessableError('lineworks_refused', `LINE WORKS refused the reply: ${error.message}`);
      if (error instanceof TransientDeliveryError) throw new UnavailableError('LINE WORKS is not answering; try again shortly');
      throw error;
    }
  }
}

type Row = Prisma.InboxMessageGetPayload<{ include: typeof WITH_EMPLOYEE }>;

function view(row: Row): InboxMessageView {
  const e = row.employee;
  return {
    id: row.id,
    receivedAt: row.receivedAt,
    text: row.text,
    employee: {
      id: e.id,
      code: e.code,
      name: e.name,
      departmentId: e.departmentId,
      departmentName: e.department?.name ?? null,
      lineDisplayName: e.lineDisplayName,
    },
    channel: row.channelKey.startsWith(LINEWORKS_PREFIX) ? 'lineworks' : 'line',
    replyText: row.replyText,
    repliedAt: row.repliedAt,
  };
}
