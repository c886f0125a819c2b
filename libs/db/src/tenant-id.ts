const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A tenant's id, as every data-access call requires it. Only `asTenantId` makes one, so a plain
 * string from a request body cannot slip into a query as a tenant.
 */
export type TenantId = string & { readonly __brand: 'TenantId' };

export function asTenantId(id: string): TenantId {
  if (!UUID.test(id)) throw new TypeError('tenant id must be a UUID');
  return id.toLowerCase() as TenantId;
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
