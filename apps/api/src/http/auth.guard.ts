import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_POLICY, Authenticator, rolesOf, type AccessPolicy } from '#anpi/accounts';
import { AppConfig } from '#anpi/config';
import { RequestContext } from '#anpi/observability';
import { PlatformKey } from './platform-key.js';
import type { AnpiRequest } from './request.js';
import { ForbiddenError, UnauthorizedError } from '#anpi/errors';

/**
 * The one guard of the api: reads the route's access policy (@Public, @PlatformOperator,
 * @Authenticated) and admits the caller or refuses with the reason. A route without a policy is
 * refused, so forgetting one can never open a route.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly platformKey: PlatformKey;

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    config: AppConfig,
  ) {
    this.platformKey = new PlatformKey(config.platformApiKey);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [context.getHandler(), context.getClass()]);
    if (!policy) throw new ForbiddenError('no_access_policy', 'This route has no access policy');
    if (policy.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<AnpiRequest>();
    const credential = bearer(request);

    const isPlatformKey = this.platformKey.matches(credential);
    if (policy.kind === 'tenant' && policy.orPlatform && isPlatformKey) {
      request.principal = { kind: 'platform' };
      this.tag(request, { actorId: 'platform' });
      return true;
    }

    if (policy.kind === 'platform') {
      if (!isPlatformKey) {
        throw new UnauthorizedError('This route needs the platform operator key', 'platform_key_required');
      }
      request.principal = { kind: 'platform' };
      this.tag(request, { actorId: 'platform' });
      return true;
    }

    if (!credential) {
      throw new UnauthorizedError('Send an access token or API key as "Authorization: Bearer <token>"', 'unauthenticated');
    }
    const principal = await this.authenticator.authenticate(credential);
    request.principal = principal;
    this.tag(request, { tenantId: principal.tenantId, actorId: principal.kind === 'user' ? principal.userId : principal.apiKeyId });
    if (policy.roles.length > 0 && !rolesOf(principal).some((role) => policy.roles.includes(role))) {
      throw new ForbiddenError('role_not_allowed', `This action needs the role ${policy.roles.join(' or ')}`);
    }
    return true;
  }

  private tag(request: AnpiRequest, fields: { tenantId?: string; actorId?: string }): void {
    if (request.logContext) Object.assign(request.logContext, fields);
    RequestContext.assign(fields);
  }
}

function bearer(request: AnpiRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1]! : null;
}
