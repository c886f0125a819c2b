import type { Role, TenantId } from '#anpi/db';

/**
 * Who is looking at the directory, and so what they may see: admins and maintainers see
 * everything (contacts included); a department head sees only the subtrees assigned to them, and
 * only whether each contact channel is registered.
 */
export interface DirectoryViewer {
  tenantId: TenantId;
  tier: 'full' | 'head';
  userId: string | null;
  role: Role | null;
}

type TenantPrincipalLike = { kind: 'user'; tenantId: TenantId; userId: string; role: Role } | { kind: 'api_key'; tenantId: TenantId; roles: Role[] };

export function directoryViewer(principal: TenantPrincipalLike): DirectoryViewer {
  if (principal.kind === 'user') {
    return { tenantId: principal.tenantId, tier: principal.role === 'department_head' ? 'head' : 'full', userId: principal.userId, role: principal.role };
  }
  // API keys are admin or maintainer keys: full tier.
  return { tenantId: principal.tenantId, tier: 'full', userId: null, role: principal.roles.includes('admin') ? 'admin' : 'maintainer' };
}
