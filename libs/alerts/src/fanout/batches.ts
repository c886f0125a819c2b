import { deterministicUuid } from '#anpi/tokens';
import type { Channel } from '#anpi/db';

/**
 * Recipients per send job. LINE's multicast takes up to 500 users per request; SendGrid's Mail
 * Send up to 1,000 (SMTP sends the same job's emails a group at a time, see EmailSender); SMS goes
 * message by message (see PerRecipientDelivery), 100 to a job so that loading a batch costs little
 * per message. LINE WORKS goes message by message too, at a few a second (its rate limit), 50 to
 * a job so that several jobs share the limit and a retry repeats little.
 */
export const BATCH_SIZE: Record<Channel, number> = { line: 500, email: 1000, sms: 100, lineworks: 50 };

export interface SendJobData {
  tenantId: string;
  broadcastId: string;
  /** 0 for the alert, 1… for reminders and escalation steps. */
  round: number;
  batch: number;
}

/** Deterministic, so re-running a launch enqueues nothing twice. */
export const sendJobId = (channel: Channel, broadcastId: string, round: number, batch: number) => `send.${channel}.${broadcastId}.${round}.${batch}`;

/**
 * LINE's retry key for one multicast batch: a UUID derived from the broadcast and the batch, the
 * same across every retry and every worker, so LINE delivers the batch at most once.
 */
export function lineRetryKey(broadcastId: string, batch: number, round = 0): string {
  return deterministicUuid(`anpi/line-retry/${broadcastId}/${round}/${batch}`);
}
