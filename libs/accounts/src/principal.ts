import type { Actor } from '#anpi/audit';
import type { Role, TenantId } from '#anpi/db';

/** Someone acting inside one tenant: a logged-in user or an integration's API key. */
export type TenantPrincipal =
  { kind: 'user'; tenantId: TenantId; userId: string; role: Role } | { kind: 'api_key'; tenantId: TenantId; apiKeyId: string; roles: Role[] };

/** The platform operator, who manages tenants and sees nothing inside them. */
export interface PlatformPrincipal {
  kind: 'platform';
}

export type Principal = TenantPrincipal | PlatformPrincipal;

export function rolesOf(principal: TenantPrincipal): Role[] {
  return principal.kind === 'user' ? [principal.role] : principal.roles;
}

export function actorOf(principal: Principal, requestId?: string): Actor {
  switch (principal.kind) {
    case 'user':
      return { type: 'user', id: principal.userId, requestId };
    case 'api_key':
      return { type: 'api_key', id: principal.apiKeyId, requestId };
    case 'platform':
      return { type: 'platform', id: null, requestId };
  }
}
