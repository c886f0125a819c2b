import { Injectable, Logger } from '@nestjs/common';
import { BounceEscalation, DeliveryReports, type UndeliveredEmail } from '#anpi/alerts';
import { checkEventSignature } from '#anpi/channels';
import { PlatformDb, asTenantId, type TenantId, type Tx } from '#anpi/db';
import { EmailEventKeys, type EmailEventAccount } from './email-event-keys.js';
import { parseSendgridEvents, type EmailEvent } from './sendgrid-events.js';

export type EmailEventsResult = { status: 'accepted'; events: number; fresh: number } | { status: 'unauthorized'; reason: string } | { status: 'malformed' };

/**
 * SendGrid's Event Webhook: the signature is checked against the raw bytes before anything else;
 * each event is applied once (by sg_event_id) in one transaction with its idempotency record, so a
 * redelivered batch changes nothing and a failed one is redelivered whole. A bounce or drop fails
 * the delivery, flags a bad address on the employee, and escalates that recipient at once.
 */
@Injectable()
export class EmailEventIntake {
  private readonly logger = new Logger('EmailEvents');

  constructor(
    private readonly keys: EmailEventKeys,
    private readonly platform: PlatformDb,
    private readonly reports: DeliveryReports,
    private readonly escalation: BounceEscalation,
  ) {}

  async accept(channelKey: string, rawBody: unknown, signature: string | undefined, timestamp: string | undefined): Promise<EmailEventsResult> {
    const account = await this.keys.find(channelKey);
    if (!account) return { status: 'unauthorized', reason: 'No Event Webhook verification key is configured for this URL' };
    if (!Buffer.isBuffer(rawBody)) return { status: 'unauthorized', reason: 'Missing or invalid signature' };
    const check = checkEventSignature(account.publicKey, rawBody, signature, timestamp);
    if (check === 'invalid') return { status: 'unauthorized', reason: 'Missing or invalid X-Twilio-Email-Event-Webhook-Signature' };
    if (check === 'stale') return { status: 'unauthorized', reason: 'X-Twilio-Email-Event-Webhook-Timestamp is more than five minutes away' };
    const events = parseSendgridEvents(rawBody);
    if (!events) return { status: 'malformed' };
    let fresh = 0;
    const undelivered: { tenantId: TenantId; email: UndeliveredEmail }[] = [];
    for (const event of events) {
      const outcome = await this.platform.run((tx) => this.applyOnce(tx, account, event));
      if (!outcome) continue;
      fresh++;
      if (outcome.undelivered) undelivered.push({ tenantId: outcome.tenantId!, email: outcome.undelivered });
    }
    for (const [key, group] of groupByBroadcast(undelivered)) {
      const [tenantId, broadcastId] = key.split('/') as [TenantId, string];
      // The events are applied (a redelivery would change nothing): a failure here is logged, and
      // the broadcast's scheduled escalation step still reaches these recipients.
      await this.escalation.escalate(tenantId, broadcastId, [...new Set(group.map((g) => g.email.recipientId))]).catch((error: Error) => {
        this.logger.error({ msg: 'escalation after a bounce failed', tenantId, broadcastId, err: error });
      });
      await this.reports.completeIfDone(tenantId, broadcastId).catch((error: Error) => {
        this.logger.error({ msg: 'completion check after a bounce failed', tenantId, broadcastId, err: error });
      });
    }
    this.logger.log({ msg: 'email events', channelKey, tenantId: account.tenantId, events: events.length, fresh, undelivered: undelivered.length });
    return { status: 'accepted', events: events.length, fresh };
  }

  /** null when the event was applied before. */
  private async applyOnce(
    tx: Tx,
    account: EmailEventAccount,
    event: EmailEvent,
  ): Promise<{ tenantId: TenantId | null; undelivered: UndeliveredEmail | null } | null> {
    const inserted = await tx.$executeRaw`
      INSERT INTO email_webhook_events (sg_event_id, channel_key, event) VALUES (${event.sgEventId}, ${account.key}, ${event.event})
      ON CONFLICT DO NOTHING`;
    if (!inserted) return null;
    if (!event.deliveryId || !event.report) return { tenantId: null, undelivered: null };
    // The shared account serves many tenants: the delivery names its own. A tenant's own account
    // reaches only its own deliveries, whatever the event claims.
    const tenantId = account.tenantId ?? (await deliveryTenant(tx, event.deliveryId));
    if (!tenantId) return { tenantId: null, undelivered: null };
    await this.platform.enterTenant(tx, tenantId);
    const undelivered = await this.reports.apply(tx, tenantId, { deliveryId: event.deliveryId, ...event.report });
    if (undelivered?.address && event.addressIsBad) {
      await tx.$executeRaw`
        INSERT INTO email_bounces (tenant_id, employee_id, address, event, reason, broadcast_id)
        VALUES (${tenantId}::uuid, ${undelivered.employeeId}::uuid, ${undelivered.address.toLowerCase()}, ${event.event},
                ${(event.report.note ?? event.event).slice(0, 500)}, ${undelivered.broadcastId}::uuid)
        ON CONFLICT (tenant_id, employee_id, address) DO UPDATE
          SET event = excluded.event, reason = excluded.reason, broadcast_id = excluded.broadcast_id, bounced_at = now()`;
    }
    return { tenantId, undelivered };
  }
}

async function deliveryTenant(tx: Tx, deliveryId: string): Promise<TenantId | null> {
  const [row] = await tx.$queryRaw<{ tenant_id: string | null }[]>`SELECT anpi_email_delivery_tenant(${deliveryId}::uuid) AS tenant_id`;
  return row?.tenant_id ? asTenantId(row.tenant_id) : null;
}

function groupByBroadcast<T extends { tenantId: TenantId; email: UndeliveredEmail }>(items: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = `${item.tenantId}/${item.email.broadcastId}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}
