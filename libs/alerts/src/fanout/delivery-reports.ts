import { Injectable } from '@nestjs/common';
import { sqlOf, type TenantId, type Tx } from '#anpi/db';
import { DeliveryRecorder } from './delivery-recorder.js';

/** What an email provider later reported about a message it had accepted. */
export interface DeliveryReport {
  deliveryId: string;
  event: 'delivered' | 'deferred' | 'bounce' | 'dropped';
  at: Date;
  /** The provider's reason (bounce, dropped, deferred). */
  note: string | null;
}

/** An email that reached nobody: whom it was for, and at which address. */
export interface UndeliveredEmail {
  broadcastId: string;
  recipientId: string;
  employeeId: string;
  address: string | null;
}

/**
 * Delivery reports onto email deliveries, in the tenant the caller opened: `delivered` records
 * when, `deferred` is noted, `bounce` and `dropped` fail the delivery with the provider's reason.
 * A delivery of another tenant is not visible here, so its report changes nothing.
 */
@Injectable()
export class DeliveryReports {
  constructor(private readonly recorder: DeliveryRecorder) {}

  /** After the reports that failed a delivery have committed: that may have been the broadcast's last pending one. */
  completeIfDone(tenantId: TenantId, broadcastId: string): Promise<void> {
    return this.recorder.completeIfDone(tenantId, broadcastId);
  }

  async apply(tx: Tx, tenantId: TenantId, report: DeliveryReport): Promise<UndeliveredEmail | null> {
    const sql = sqlOf(tx);
    const where = `tenant_id = $1::uuid AND id = $2::uuid AND channel = 'email'`;
    if (report.event === 'delivered') {
      await sql(
        `UPDATE deliveries SET delivered_at = $3, provider_event = 'delivered', provider_event_note = NULL, updated_at = now()
         WHERE ${where} AND state = 'sent'`,
        [tenantId, report.deliveryId, report.at],
      );
      return null;
    }
    if (report.event === 'deferred') {
      await sql(
        `UPDATE deliveries SET provider_event = 'deferred', provider_event_note = $3, updated_at = now()
         WHERE ${where} AND state = 'sent' AND delivered_at IS NULL`,
        [tenantId, report.deliveryId, report.note?.slice(0, 500) ?? null],
      );
      return null;
    }
    const reason = `SendGrid ${report.event}${report.note ? `: ${report.note}` : ''}`.slice(0, 500);
    const [failed] = await sql<{ broadcast_id: string; recipient_id: string; employee_id: string; address: string | null }>(
      `WITH failed AS (
         UPDATE deliveries SET state = 'failed', error = $3, provider_event = $4, provider_event_note = $5, updated_at = now()
         WHERE ${where} AND state IN ('sent', 'pending')
         RETURNING broadcast_id, recipient_id, contact_index
       )
       SELECT f.broadcast_id, f.recipient_id, r.employee_id, r.emails[f.contact_index + 1] AS address
       FROM failed f JOIN recipients r ON r.id = f.recipient_id`,
      [tenantId, report.deliveryId, reason, report.event, report.note?.slice(0, 500) ?? null],
    );
    if (!failed) return null;
    return { broadcastId: failed.broadcast_id, recipientId: failed.recipient_id, employeeId: failed.employee_id, address: failed.address };
  }
}
