import type { LineCredentials } from '../credentials.js';

/** A LINE message object as the Messaging API takes it (text, or flex with a button). */
export type LineMessage = { type: 'text'; text: string } | { type: 'flex'; altText: string; contents: Record<string, unknown> };

export interface MulticastResult {
  /** LINE's x-line-request-id, or for a duplicate the id of the request that was accepted first. */
  requestId: string | null;
  /** true when LINE had already accepted this retry key: delivered once, not again. */
  duplicate: boolean;
}

/**
 * Sending on LINE. Implementations throw TransientDeliveryError (retry) or PermanentDeliveryError
 * (do not), and treat LINE's 409 for an already accepted retry key as success.
 */
export abstract class LineChannel {
  abstract multicast(credentials: LineCredentials, to: string[], messages: LineMessage[], retryKey: string): Promise<MulticastResult>;
}
