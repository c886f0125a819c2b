import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from '#anpi/db';

export const ACCESS_POLICY = 'anpi:access-policy';

/** Who may call a route. Routes without a policy are refused: access is never granted by omission. */
export type AccessPolicy = { kind: 'public' } | { kind: 'platform' } | { kind: 'tenant'; roles: Role[]; orPlatform?: boolean };

/** Anyone, unauthenticated (health checks, login). */
export const Public = () => SetMetadata(ACCESS_POLICY, { kind: 'public' } satisfies AccessPolicy);

/** The platform operator, with PLATFORM_API_KEY. */
export const PlatformOperator = () =>
  applyDecorators(
    SetMetadata(ACCESS_POLICY, { kind: 'platform' } satisfies AccessPolicy),
    ApiSecurity('platform'),
    ApiUnauthorizedResponse({ description: 'Missing or wrong platform key' }),
  );

/** A tenant's user or API key holding one of `roles` (any role when none are given). */
export const Authenticated = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ACCESS_POLICY, { kind: 'tenant', roles } satisfies AccessPolicy),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing, invalid or expired credentials' }),
    ApiForbiddenResponse({ description: 'Role not allowed, or tenant suspended' }),
  );

/**
 * A tenant's user or API key holding one of `roles` (reading its own tenant), or the platform
 * operator (reading across tenants). For billing, which both sides of an invoice read.
 */
export const AuthenticatedOrPlatform = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ACCESS_POLICY, { kind: 'tenant', roles, orPlatform: true } satisfies AccessPolicy),
    ApiBearerAuth(),
    ApiSecurity('platform'),
    ApiUnauthorizedResponse({ description: 'Missing, invalid or expired credentials' }),
    ApiForbiddenResponse({ description: 'Role not allowed, or tenant suspended' }),
  );
