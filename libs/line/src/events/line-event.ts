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

export interface LineEventJobData {
  channelKey: string;
  event: LineEvent;
}

/** One queued job per event and channel: a redelivered event finds its job already there. */
export const lineEventJobId = (channelKey: string, webhookEventId: string) => `line.${channelKey}.${webhookEventId}`;

export interface LineEventGroupJobData {
  channelKey: string;
  events: LineEvent[];
  /** Events already handled, written before the job fails so that its retry handles none twice. */
  done?: string[];
}

/** A group's job is named after its first event: an event is recorded (and so queued) once. */
export const lineEventGroupJobId = (channelKey: string, firstEventId: string) => `line.${channelKey}.group.${firstEventId}`;
