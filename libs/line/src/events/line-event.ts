/** A webhook event as LINE sends it (webhook.yml), narrowed to the fields anpi reads. */
export interface LineEvent {
  type: string;
  webhookEventId: string;
  timestamp: number;
  mode?: string;
  replyToken?: string;
  source?: { type: string; userId?: string };
  deliveryContext?: { isRedelivery: boolean };
  message?: { type: string; id: string; text?: string };
  postback?: { data: string };
  link?: { result: 'ok' | 'failed'; nonce: string };
  follow?: { isUnblocked: boolean };
}

/**
 * When the event happened, by LINE's clock (`timestamp`, milliseconds), if it says. Jobs may handle
 * one user's events in another order than they happened: what an event changes is dated by this.
 */
export function eventTime(event: LineEvent): Date | undefined {
  return Number.isFinite(event.timestamp) ? new Date(event.timestamp) : undefined;
}

/** A tap on an alert's button: 回答する (`answer:<broadcast>`) or 無事です (`safe:<broadcast>`). */
export interface AlertButton {
  kind: 'answer' | 'safe';
  broadcastId: string;
}

/** The alert button a postback event is, if it is one. */
export function alertButton(event: LineEvent): AlertButton | null {
  const match = event.type === 'postback' ? /^(answer|safe):(.+)$/.exec(event.postback?.data ?? '') : null;
  return match ? { kind: match[1] as AlertButton['kind'], broadcastId: match[2]! } : null;
}

export interface LineEventJobData {
  channelKey: string;
  event: LineEvent;
  /**
   * The claim token of the queued request (or group) the event came in: the event is handled only
   * if its id is recorded under this token (see LineEventClaims). Absent on jobs queued by an
   * intake that recorded the ids itself.
   */
  claim?: string;
}

/** One queued job per event and channel: a redelivered event finds its job already there. */
export const lineEventJobId = (channelKey: string, webhookEventId: string) => `line.${channelKey}.${webhookEventId}`;

export interface LineEventGroupJobData {
  channelKey: string;
  events: LineEvent[];
  /** As for a lone event (LineEventJobData). */
  claim?: string;
  /** Events already handled, written before the job fails so that its retry handles none twice. */
  done?: string[];
}

/**
 * A group's job is named after its claim token: the same events may come again in another group
 * (LINE redelivers a request's events, perhaps beside new ones), and the claims, not the job ids,
 * drop the repeats.
 */
export const lineEventGroupJobId = (channelKey: string, claim: string) => `line.${channelKey}.group.${claim}`;
