import type { Broadcast } from '#anpi/db';
import type { BroadcastView, StateCounts } from './dto/broadcast.dto.js';
import { content } from './broadcast-content.js';

export const DRILL_PREFIX = '【訓練】';

/** The title as recipients see it: drills are marked as drills everywhere. */
export function displayTitle(b: Pick<Broadcast, 'title' | 'drill'>): string {
  return b.drill ? `${DRILL_PREFIX}${b.title}` : b.title;
}

/**
 * `closed` once answers are no longer taken (closedAt), whatever the fan-out's own state was, so a
 * list shows it without reading other fields.
 */
export function broadcastView(b: Broadcast, counts?: Record<string, StateCounts>, targets: unknown = b.targets): BroadcastView {
  return {
    id: b.id,
    status: b.closedAt ? 'closed' : b.status,
    drill: b.drill,
    lineQuickAnswer: b.lineQuickAnswer,
    title: b.title,
    displayTitle: displayTitle(b),
    body: b.body,
    questions: content.questions(b.questions) as BroadcastView['questions'],
    channels: b.channels,
    targets,
    templateRef: b.templateRef,
    reminder: b.reminder,
    escalation: b.escalation,
    remindersSent: b.remindersSent,
    recipientCount: b.recipientCount,
    senderName: b.senderName,
    createdAt: b.createdAt,
    launchedAt: b.launchedAt,
    completedAt: b.completedAt,
    cancelledAt: b.cancelledAt,
    closedAt: b.closedAt,
    closedReason: b.closedReason,
    emailProviderNotes: (Array.isArray(b.emailProviderNotes) ? b.emailProviderNotes : []) as unknown as BroadcastView['emailProviderNotes'],
    source: content.source(b.source),
    ...(counts && { counts }),
  };
}
