import { createHash } from 'node:crypto';

/** A LINE WORKS callback event (one per request), the fields anpi reads. */
export interface LineWorksEvent {
  type: string;
  source?: { userId?: string; channelId?: string; domainId?: number | string };
  issuedTime?: string;
  /** message events */
  content?: { type?: string; text?: string; postback?: string };
  /** postback events */
  data?: string;
}

export interface LineWorksEventJobData {
  botId: string;
  eventKey: string;
  event: LineWorksEvent;
}

/**
 * LINE WORKS events carry no id: an event is known by what it says (type, user, time, content),
 * so a redelivery of the same event maps to the same key, and a new tap to a new one.
 */
export function lineworksEventKey(event: LineWorksEvent): string {
  const what = JSON.stringify([event.type, event.source?.userId ?? null, event.issuedTime ?? null, event.content ?? null, event.data ?? null]);
  return createHash('sha256').update(what).digest('base64url');
}

/** The postback an event carries: a postback event's data, or a message action's postback. */
export function postbackOf(event: LineWorksEvent): string | null {
  if (event.type === 'postback' && typeof event.data === 'string') return event.data;
  if (event.type === 'message' && typeof event.content?.postback === 'string') return event.content.postback;
  return null;
}
