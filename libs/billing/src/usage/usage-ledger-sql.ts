/**
 * Billing owns its ledger: the one statement that writes usage_ledger rows, as a fragment the
 * send path embeds in its own statement (marking deliveries sent and metering them stays one
 * statement, one round trip). `sent` names a relation of the deliveries just sent, with columns
 * `id` and `units`; the others are SQL expressions (usually parameters) of the tenant, broadcast,
 * channel and drill flag. The row is unique per delivery, so a retried send never counts twice.
 */
export function meterSentDeliveriesSql(sent: string, values: { tenantId: string; broadcastId: string; channel: string; drill: string }): string {
  return `INSERT INTO usage_ledger (id, tenant_id, delivery_id, broadcast_id, channel, units, drill)
        SELECT anpi_uuid7(), ${values.tenantId}::uuid, ${sent}.id, ${values.broadcastId}::uuid,
          ${values.channel}::"Channel", ${sent}.units, ${values.drill}::boolean FROM ${sent}
        ON CONFLICT (tenant_id, delivery_id) DO NOTHING`;
}
