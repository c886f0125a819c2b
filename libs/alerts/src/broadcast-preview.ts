import { Injectable } from '@nestjs/common';
import type { Actor } from '#anpi/audit';
import { ChannelSettingsService, countSmsSegments } from '#anpi/channels';
import { TenantDb, type Broadcast, type TenantId } from '#anpi/db';
import { BroadcastLauncher } from './broadcast-launcher.js';
import { displayTitle } from './broadcast-views.js';
import { content } from './broadcast-content.js';
import type { LaunchBroadcastDto } from './dto/broadcast.dto.js';
import type { BroadcastPreviewView } from './dto/broadcast-preview.dto.js';
import { MessageComposer } from './fanout/message-composer.js';
import { channelReach, countTargeted, firstTargeted } from './fanout/recipient-snapshot.js';
import { newCode } from './short-answer-links.js';

const NO_ID = '00000000-0000-4000-8000-000000000000';

/**
 * The launch screen's preview: the same checks and content as a launch, the messages composed by
 * the same composer the fan-out uses, and the head count per channel, in one read transaction.
 * Links are of the real length (a signed token, a short code) but lead nowhere.
 */
@Injectable()
export class BroadcastPreviews {
  constructor(
    private readonly db: TenantDb,
    private readonly launcher: BroadcastLauncher,
    private readonly composer: MessageComposer,
    private readonly channels: ChannelSettingsService,
  ) {}

  async preview(tenantId: TenantId, actor: Actor, dto: LaunchBroadcastDto): Promise<BroadcastPreviewView> {
    return this.db.run(tenantId, async (tx) => {
      const targets = this.launcher.targetsOf(dto);
      const data = await this.launcher.content(tx, tenantId, actor, dto, targets, '');
      const broadcast = { ...data, id: NO_ID, status: 'queued', createdAt: new Date() } as unknown as Broadcast;
      const counts = await countTargeted(
        tx,
        tenantId,
        content.targets(broadcast.targets),
        channelReach(await this.channels.resolve(tx, tenantId)),
        broadcast.channels,
      );
      const sample = await firstTargeted(tx, tenantId, content.targets(broadcast.targets));
      const recipient = { id: NO_ID, name: sample?.name ?? '山田 太郎', departmentName: sample?.departmentName ?? null };
      const chosen = broadcast.channels;
      const email = this.composer.email(broadcast, recipient);
      const sms = this.composer.sms(broadcast, recipient, 0, newCode());
      return {
        recipients: counts.total,
        unreachable: counts.none,
        drill: broadcast.drill,
        displayTitle: displayTitle(broadcast),
        channels: chosen,
        ...(chosen.includes('line') && { line: { recipients: counts.line, messages: this.composer.line(broadcast) as unknown as Record<string, unknown>[] } }),
        ...(chosen.includes('email') && { email: { recipients: counts.email, subject: email.subject, text: email.text } }),
        ...(chosen.includes('sms') && { sms: { recipients: counts.sms, text: sms, ...countSmsSegments(sms) } }),
        ...(chosen.includes('lineworks') && {
          lineworks: { recipients: counts.lineworks, content: this.composer.lineworks(broadcast, recipient) as unknown as Record<string, unknown> },
        }),
      };
    });
  }
}
