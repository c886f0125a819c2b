import { createParamDecorator, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import { actorOf, type TenantPrincipal } from '#anpi/accounts';
import type { Actor } from '#anpi/audit';
import type { BillingViewer } from '#anpi/billing';
import { isUuid, type TenantId } from '#anpi/db';
import type { AnpiRequest } from './request.js';
import { ForbiddenError, InvalidInputError } from '#anpi/errors';

function request(context: ExecutionContext): AnpiRequest {
  return context.switchToHttp().getRequest<AnpiRequest>();
}

/** Who is calling, for the audit log. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const req = request(context);
  if (!req.principal) throw new ForbiddenError('no_principal', 'No principal on this route');
  return actorOf(req.principal, requestIdOf(req));
});

/** The tenant principal of an @Authenticated route. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): TenantPrincipal => {
  const principal = request(context).principal;
  if (!principal || principal.kind === 'platform') throw new ForbiddenError('tenant_route', 'This route needs a tenant user or API key');
  return principal;
});

/** The caller's tenant: the only tenant any @Authenticated route may touch. */
export const CurrentTenant = createParamDecorator((_: unknown, context: ExecutionContext): TenantId => {
  const principal = request(context).principal;
  if (!principal || principal.kind === 'platform') throw new ForbiddenError('tenant_route', 'This route needs a tenant user or API key');
  return principal.tenantId;
});

/** The client's address (behind a proxy only when TRUST_PROXY is set). */
export const ClientIp = createParamDecorator((_: unknown, context: ExecutionContext): string => request(context).ip ?? 'unknown');

export const RequestId = createParamDecorator((_: unknown, context: ExecutionContext): string => requestIdOf(request(context)));

/** The id the access log gave the request (the caller's X-Request-Id when well formed). */
function requestIdOf(req: AnpiRequest): string {
  return req.logContext?.requestId ?? 'unknown';
}

/** Path ids are UUIDs; anything else is a 400 with the reason, not a database error. */
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) {
      throw InvalidInputError.field('id', 'id must be a UUID');
    }
    return value.toLowerCase();
  }
}

/** On an @AuthenticatedOrPlatform route: the operator, or the caller's own tenant. */
export const BillingReader = createParamDecorator((_: unknown, context: ExecutionContext): BillingViewer => {
  const principal = request(context).principal;
  if (!principal) throw new ForbiddenError('no_principal', 'No principal on this route');
  return principal.kind === 'platform' ? { kind: 'platform' } : { kind: 'tenant', tenantId: principal.tenantId };
});
