import { asTenantId, type TenantId } from '#anpi/db';
import { ForbiddenError } from '#anpi/errors';

/** Who reads billing: a tenant's admin (their own tenant only) or the platform operator (all). */
export type BillingViewer = { kind: 'tenant'; tenantId: TenantId } | { kind: 'platform' };

/**
 * The tenant a read is about: a tenant's own always; for the operator the one asked for (or none:
 * every tenant). A tenant naming another tenant is refused rather than silently shown its own.
 */
export function tenantScope(viewer: BillingViewer, requested: string | undefined): TenantId | undefined {
  if (viewer.kind === 'platform') return requested ? asTenantId(requested) : undefined;
  if (requested && requested !== viewer.tenantId) {
    throw new ForbiddenError('other_tenant', 'tenantId is for the platform operator; leave it out to read your own');
  }
  return viewer.tenantId;
}
