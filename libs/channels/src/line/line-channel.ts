import type { LineCredentials } from '../credentials.js';

/** A button under a message: postback (back to our webhook) or a link. */
export type LineAction = { type: 'postback'; label: string; data: string; displayText?: string } | { type: 'uri'; label: string; uri: string };

export interface LineQuickReply {
  items: { type: 'action'; action: LineAction }[];
}

/** A LINE message object as the Messaging API takes it (text, or flex with a button). */
export type LineMessage =
  | { type: 'text'; text: string; quickReply?: LineQuickReply }
  | { type: 'flex'; altText: string; contents: Record<string, unknown>; quickReply?: LineQuickReply };

export interface MulticastResult {
  /** LINE's x-line-request-id, or for a duplicate the id of the request that was accepted first. */
  requestId: string | null;
  /** true when LINE had already accepted this retry key: delivered once, not again. */
  duplicate: boolean;
}

export interface LineProfile {
  displayName: string;
}

/**
 * Talking to LINE's Messaging API. Implementations throw TransientDeliveryError (retry) or
 * PermanentDeliveryError (do not), and treat LINE's 409 for an already accepted retry key as
 * success.
 */
export abstract class LineChannel {
  abstract multicast(credentials: LineCredentials, to: string[], messages: LineMessage[], retryKey: string): Promise<MulticastResult>;
  /** Answers a webhook event; a reply token works once, for about a minute. */
  abstract reply(credentials: LineCredentials, replyToken: string, messages: LineMessage[]): Promise<void>;
  abstract push(credentials: LineCredentials, to: string, messages: LineMessage[], retryKey: string): Promise<MulticastResult>;
  /** A link token for LINE's account-link flow (valid 10 minutes, single use). */
  abstract issueLinkToken(credentials: LineCredentials, userId: string): Promise<string>;
  /** null when LINE does not know the user on this channel (blocked, or never followed). */
  abstract profile(credentials: LineCredentials, userId: string): Promise<LineProfile | null>;
  /** Messages LINE counts as sent on the channel this month (its billing figure; replies are free). */
  abstract monthlyConsumption(credentials: LineCredentials): Promise<number>;
}
