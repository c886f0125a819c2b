import { Injectable } from '@nestjs/common';
import type { AnswerContext } from '#anpi/answers';
import { LineLinkDirectory, type LineLink } from '../line-link-directory.js';
import { alertButton, type LineEvent } from './line-event.js';
import { LinkedRecipients } from './linked-recipients.js';

/** What a group's events need read before they are handled, read once for all of them. */
export class LineEventLookups {
  constructor(
    readonly links: ReadonlyMap<string, LineLink[]>,
    private readonly recipients: ReadonlyMap<string, AnswerContext>,
    private readonly broadcasts: ReadonlySet<string>,
  ) {}

  /** The tapped alert's recipient among the user's links; undefined when that alert was not read here. */
  recipient(links: LineLink[], broadcastId: string): AnswerContext | null | undefined {
    if (!this.broadcasts.has(broadcastId)) return undefined;
    for (const link of links) {
      const found = this.recipients.get(`${link.tenantId}/${broadcastId}/${link.employeeId}`);
      if (found) return found;
    }
    return null;
  }
}

/**
 * Reads a group's links (one round trip for every user in it) and, for the alerts its buttons
 * name, the recipients (one round trip per tenant and alert): a minute after an alert, tens of
 * thousands of taps each read both, and the round trips were most of the workers' time.
 */
@Injectable()
export class LineEventPrefetch {
  constructor(
    private readonly directory: LineLinkDirectory,
    private readonly linked: LinkedRecipients,
  ) {}

  async read(channelKey: string, events: LineEvent[]): Promise<LineEventLookups> {
    const users = new Set<string>();
    for (const e of events) if (e.type === 'postback' && e.source?.type === 'user' && e.source.userId) users.add(e.source.userId);
    const links = await this.directory.linksOfMany(channelKey, [...users]);
    const wanted = new Map<string, { tenantId: LineLink['tenantId']; broadcastId: string; employees: Set<string> }>();
    for (const e of events) {
      const broadcastId = alertButton(e)?.broadcastId;
      if (!broadcastId || !e.source?.userId) continue;
      for (const link of links.get(e.source.userId) ?? []) {
        const key = `${link.tenantId}/${broadcastId}`;
        const entry = wanted.get(key) ?? { tenantId: link.tenantId, broadcastId, employees: new Set<string>() };
        entry.employees.add(link.employeeId);
        wanted.set(key, entry);
      }
    }
    const recipients = new Map<string, AnswerContext>();
    for (const { tenantId, broadcastId, employees } of wanted.values()) {
      for (const [employeeId, ctx] of await this.linked.inBroadcastMany(tenantId, broadcastId, [...employees])) {
        recipients.set(`${tenantId}/${broadcastId}/${employeeId}`, ctx);
      }
    }
    const broadcasts = new Set([...wanted.values()].map((w) => w.broadcastId));
    return new LineEventLookups(links, recipients, broadcasts);
  }
}
