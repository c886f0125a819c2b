import { DELIVERY_ID_ARG } from '#anpi/channels';
import type { DeliveryReport } from '#anpi/alerts';

/** One event of SendGrid's Event Webhook, reduced to what anpi keeps (never the address itself). */
export interface EmailEvent {
  sgEventId: string;
  event: string;
  /** The delivery it is about (the custom argument anpi set), when the message was an alert's. */
  deliveryId: string | null;
  report: Omit<DeliveryReport, 'deliveryId'> | null;
  /** A bounce or drop that says the address itself is bad (not a full mailbox or a block). */
  addressIsBad: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REPORTED = new Set(['delivered', 'deferred', 'bounce', 'dropped']);

/**
 * The body is a JSON array of events, each with `sg_event_id` and `event`; anything else is not
 * an Event Webhook body (null). Events without an id are skipped: they cannot be made idempotent.
 */
export function parseSendgridEvents(raw: Buffer): EmailEvent[] | null {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(body)) return null;
  return body.flatMap((e: unknown) => {
    if (typeof e !== 'object' || e === null) return [];
    const o = e as Record<string, unknown>;
    if (typeof o.sg_event_id !== 'string' || o.sg_event_id.length === 0 || o.sg_event_id.length > 100 || typeof o.event !== 'string') return [];
    const delivery = o[DELIVERY_ID_ARG];
    const deliveryId = typeof delivery === 'string' && UUID.test(delivery) ? delivery.toLowerCase() : null;
    const note = [o.reason, o.response].find((x): x is string => typeof x === 'string' && x.length > 0) ?? (typeof o.type === 'string' ? o.type : null);
    const at = typeof o.timestamp === 'number' ? new Date(o.timestamp * 1000) : new Date();
    return [
      {
        sgEventId: o.sg_event_id,
        event: o.event.slice(0, 40),
        deliveryId,
        report: REPORTED.has(o.event) ? { event: o.event as DeliveryReport['event'], at, note } : null,
        addressIsBad: (o.event === 'bounce' && o.type !== 'blocked') || (o.event === 'dropped' && /bounced address|invalid/i.test(String(o.reason ?? ''))),
      },
    ];
  });
}
