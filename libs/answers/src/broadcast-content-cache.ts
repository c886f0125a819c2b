import { Injectable } from '@nestjs/common';
import type { Broadcast } from '#anpi/db';

/** Columns fixed at launch: read once per minute per api process, not with every tap on a link. */
export const FIXED_BROADCAST_COLUMNS = ['title', 'body', 'questions', 'free_text', 'notification_detail', 'targets', 'reminder', 'escalation'] as const;

const TTL_MS = 60_000;
const MAX_ENTRIES = 500;

/**
 * The content of broadcasts being answered (title, body, questions: a few kilobytes of JSON each),
 * so that an answer reads only the fields that change after launch (status, closed_at, …). During
 * a disaster every answer is for one or two broadcasts.
 */
@Injectable()
export class BroadcastContentCache {
  private readonly entries = new Map<string, { broadcast: Broadcast; until: number }>();

  get(id: string): Broadcast | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.broadcast;
    this.entries.delete(id);
    return undefined;
  }

  set(broadcast: Broadcast): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(broadcast.id, { broadcast, until: Date.now() + TTL_MS });
  }
}
