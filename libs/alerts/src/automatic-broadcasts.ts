import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ChannelSettingsService } from '#anpi/channels';
import { AppConfig } from '#anpi/config';
import { TenantDb, type Broadcast, type Channel, type TenantId, type Tx } from '#anpi/db';
import { JobName, QueueName } from '#anpi/queue';
import { TallyNotifier } from '#anpi/tallies';
import { launchJobId, type LaunchJobData } from './broadcast-launcher.js';
import { content, toJsonColumn, type BroadcastSource, type Targets } from './broadcast-content.js';
import { createDeliveries } from './fanout/deliveries.js';
import { stopPendingDeliveries } from './fanout/delivery-recorder.js';
import { addRecipients, channelReach } from './fanout/recipient-snapshot.js';
import { ADDITION_ROUND, CANCELLATION_NOTICE_ROUND, LOCATION_CHECK_ROUND } from './fanout/rounds.js';
import { SendQueue } from './fanout/send-queue.js';
import { PRESET_PREFIX } from './presets.js';
import { TemplatesService } from './templates.service.js';

/** What launched an alert when no person did. */
export type AutomaticSource = BroadcastSource;

export interface AutomaticBroadcastInput {
  templateId: string;
  title: string;
  targets: Targets;
  drill: boolean;
  source: AutomaticSource;
}

const SENDER = '安否確認システム (気象庁の情報による自動送信 / automatic, on JMA information)';

/**
 * The alerts side of automatic launch: a broadcast made from a rule's template and a telegram,
 * launched after a hold (a delayed launch job, so cancelling it before then is setting its status);
 * people a later telegram of the same quake reaches, added to the same broadcast in a round of
 * their own; and, when JMA cancels the information, a notice to everyone reached and the close.
 */
@Injectable()
export class AutomaticBroadcasts {
  constructor(
    private readonly db: TenantDb,
    private readonly templates: TemplatesService,
    private readonly channels: ChannelSettingsService,
    private readonly sends: SendQueue,
    private readonly tallies: TallyNotifier,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Broadcasts) private readonly queue: Queue,
  ) {}

  /** Inside the caller's unit of work, so the broadcast and the record of why exist together. */
  async create(tx: Tx, tenantId: TenantId, input: AutomaticBroadcastInput): Promise<Broadcast> {
    // A rule's template deleted since: the earthquake preset rather than no alert at all.
    const template =
      (await this.templates.content(tx, tenantId, input.templateId)) ?? (await this.templates.content(tx, tenantId, `${PRESET_PREFIX}earthquake`))!;
    return tx.broadcast.create({
      data: {
        tenantId,
        templateRef: input.templateId,
        title: input.title.slice(0, 80),
        body: template.body,
        questions: toJsonColumn(template.questions),
        freeText: toJsonColumn(template.freeText),
        channels: template.channels,
        notificationDetail: toJsonColumn(template.notificationDetail),
        drill: input.drill || template.drill,
        lineQuickAnswer: template.lineQuickAnswer ?? true,
        reminder: toJsonColumn(template.reminder ?? null),
        escalation: toJsonColumn(template.escalation ?? null),
        targets: toJsonColumn(input.targets),
        source: toJsonColumn(input.source),
        createdByType: 'jma',
        createdById: null,
        senderName: SENDER,
        answerExpiresAt: new Date(Date.now() + this.config.answerLinkTtlDays * 86_400_000),
      },
    });
  }

  /** After the commit: the launch job, delayed by the hold (same job id, so queued once). */
  async enqueueLaunch(broadcast: Pick<Broadcast, 'id' | 'tenantId'>, delayMs: number): Promise<void> {
    const data: LaunchJobData = { tenantId: broadcast.tenantId, broadcastId: broadcast.id };
    await this.queue.add(JobName.LaunchBroadcast, data, {
      jobId: launchJobId(broadcast.id),
      delay: Math.max(0, delayMs),
      attempts: 10,
      backoff: { type: 'exponential', delay: 500 },
    });
  }

  /**
   * More people for the broadcast of a quake: while it is still held, its targets widen (the
   * launch snapshots them); once sent, those not yet in it are added and sent the alert in round
   * `ADDITION_ROUND + number`. Returns how many were added (0 while held).
   */
  async widen(tenantId: TenantId, broadcastId: string, targets: Targets, number: number): Promise<number> {
    const round = ADDITION_ROUND + number;
    const added = await this.db.run(
      tenantId,
      async (tx) => {
        const broadcast = await this.locked(tx, tenantId, broadcastId);
        if (!broadcast || broadcast.status === 'cancelled' || broadcast.closedAt) return 0;
        if (broadcast.status === 'queued') {
          await tx.broadcast.update({ where: { id: broadcastId }, data: { targets: toJsonColumn(targets) } });
          return 0;
        }
        launchFinished(broadcast);
        const count = await addRecipients(tx, tenantId, broadcast, targets, channelReach(await this.channels.resolve(tx, tenantId)));
        const escalation = content.escalation(broadcast.escalation);
        const channels: Channel[] = escalation ? [escalation.order[0]!] : broadcast.channels;
        for (const channel of channels) await createDeliveries(tx, { broadcastId, round, channel, unansweredOnly: false, newRecipientsOnly: true });
        await tx.broadcast.update({
          where: { id: broadcastId },
          data: { targets: toJsonColumn(targets), recipientCount: { increment: count }, ...(count > 0 && { status: 'sending', completedAt: null }) },
        });
        return count;
      },
      { timeout: 5 * 60_000 },
    );
    // Also when this run added nobody: a run before it may have added people and failed before
    // queueing their sends (the job ids are deterministic, so nothing is queued twice).
    await this.sends.enqueueRound(tenantId, broadcastId, round);
    if (added > 0) await this.tallies.changed(tenantId, broadcastId);
    return added;
  }

  /**
   * The location check: every active employee the alert did not target gets a short message
   * asking whether they are in the affected area now (travellers, visitors). They join the
   * broadcast as `asked`, outside the tally until they answer yes on the answer page. Returns how
   * many were asked; running it again asks nobody twice.
   */
  async askLocations(tenantId: TenantId, broadcastId: string): Promise<number> {
    const asked = await this.db.run(
      tenantId,
      async (tx) => {
        const broadcast = await this.locked(tx, tenantId, broadcastId);
        if (!broadcast || broadcast.status === 'cancelled' || broadcast.closedAt || broadcast.status === 'queued') return 0;
        launchFinished(broadcast);
        const count = await addRecipients(tx, tenantId, broadcast, { all: true }, channelReach(await this.channels.resolve(tx, tenantId)), 'asked');
        const escalation = content.escalation(broadcast.escalation);
        const channels: Channel[] = escalation ? [escalation.order[0]!] : broadcast.channels;
        for (const channel of channels)
          await createDeliveries(tx, { broadcastId, round: LOCATION_CHECK_ROUND, channel, unansweredOnly: false, newRecipientsOnly: true });
        if (count > 0) await tx.broadcast.update({ where: { id: broadcastId }, data: { status: 'sending', completedAt: null } });
        return count;
      },
      { timeout: 5 * 60_000 },
    );
    // Also when this run asked nobody: see widen.
    await this.sends.enqueueRound(tenantId, broadcastId, LOCATION_CHECK_ROUND);
    return asked;
  }

  /** A held broadcast stopped before anything was sent; false when it has gone out already. */
  async cancelHeld(tx: Tx, tenantId: TenantId, broadcastId: string): Promise<boolean> {
    const broadcast = await this.locked(tx, tenantId, broadcastId);
    if (!broadcast || broadcast.status !== 'queued') return false;
    await tx.broadcast.update({ where: { id: broadcastId }, data: { status: 'cancelled', cancelledAt: new Date() } });
    return true;
  }

  /**
   * JMA cancelled the information after the alert went out: what is still pending stops, everyone
   * reached gets a short notice on the channel that reached them, and the broadcast is closed with
   * the reason. Returns the notices queued.
   */
  async closeCancelled(tenantId: TenantId, broadcastId: string, reason: string): Promise<number> {
    const notices = await this.db.run(
      tenantId,
      async (tx) => {
        const broadcast = await this.locked(tx, tenantId, broadcastId);
        if (!broadcast || broadcast.closedAt || broadcast.status === 'cancelled') return 0;
        // A delivery being recorded sent at this very moment is not counted as reached below (the
        // price of never waiting for a send job here; see stopPendingDeliveries).
        await stopPendingDeliveries(tx, tenantId, broadcastId, reason, { exceptRound: CANCELLATION_NOTICE_ROUND });
        let count = 0;
        for (const channel of broadcast.channels)
          count += await createDeliveries(tx, { broadcastId, round: CANCELLATION_NOTICE_ROUND, channel, unansweredOnly: false, reachedOnly: true });
        await tx.broadcast.update({
          where: { id: broadcastId },
          data: { closedAt: new Date(), closedReason: reason, ...(count > 0 && { status: 'sending', completedAt: null }) },
        });
        return count;
      },
      { timeout: 5 * 60_000 },
    );
    if (notices > 0) await this.sends.enqueueRound(tenantId, broadcastId, CANCELLATION_NOTICE_ROUND);
    await this.tallies.changed(tenantId, broadcastId);
    return notices;
  }

  private async locked(tx: Tx, tenantId: TenantId, broadcastId: string): Promise<Broadcast | null> {
    await tx.$queryRaw`SELECT id FROM broadcasts WHERE id = ${broadcastId}::uuid AND tenant_id = ${tenantId}::uuid FOR UPDATE`;
    return tx.broadcast.findFirst({ where: { id: broadcastId, tenantId } });
  }
}

/** A launch still creating its deliveries: people added now wait for the job's retry. */
export class LaunchInProgressError extends Error {
  constructor(broadcastId: string) {
    super(`broadcast ${broadcastId} is still creating its deliveries; adding people waits for it (retried)`);
    this.name = 'LaunchInProgressError';
  }
}

/**
 * Adding people to a sent alert (a later telegram, the location check) waits until its launch has
 * created every delivery: until then some of those already in it have none yet, would look new
 * (newRecipientsOnly) and be sent the alert twice, and the launch's own statements would give the
 * added ones the launch's deliveries too. Throws, so the caller's job is retried with its backoff.
 */
function launchFinished(broadcast: Pick<Broadcast, 'id' | 'deliveriesReadyAt'>): void {
  if (!broadcast.deliveriesReadyAt) throw new LaunchInProgressError(broadcast.id);
}
