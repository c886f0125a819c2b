import { Injectable, Logger } from '@nestjs/common';
import { TenantDb, type TenantId } from '#anpi/db';
import { Metrics } from '#anpi/metrics';

export type EmailProviderNoteKind = 'failover' | 'recovered';

/**
 * The note on a broadcast that its email moved to the secondary provider, or came back to the
 * primary: written once per change (a note is added only when it differs from the last one).
 */
@Injectable()
export class EmailProviderNotes {
  private readonly logger = new Logger('EmailProviderNotes');

  constructor(
    private readonly db: TenantDb,
    private readonly metrics: Metrics,
  ) {}

  async note(tenantId: TenantId, broadcastId: string, kind: EmailProviderNoteKind, from: string, to: string, reason: string | null): Promise<void> {
    const [row] = await this.db.sql(tenantId, (sql) =>
      sql<{ id: string }>(
        `UPDATE broadcasts SET email_provider_notes = email_provider_notes
           || jsonb_build_array(jsonb_build_object('at', now(), 'kind', $2::text, 'from', $3::text, 'to', $4::text, 'reason', $5::text))
         WHERE id = $1::uuid AND coalesce(email_provider_notes->-1->>'kind', 'recovered') <> $2::text
         RETURNING id`,
        [broadcastId, kind, from, to, reason?.slice(0, 300) ?? null],
      ),
    );
    if (row) this.metrics.emailFailovers.inc({ kind, from, to });
    if (row)
      this.logger.warn({ msg: kind === 'failover' ? 'broadcast email failed over' : 'broadcast email back on primary', tenantId, broadcastId, from, to });
  }
}
