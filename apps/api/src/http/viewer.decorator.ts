import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { directoryViewer, type DirectoryViewer } from '#anpi/directory';
import type { AnpiRequest } from './request.js';
import { ForbiddenError } from '#anpi/errors';

/** The caller as the directory sees them: which privacy tier, which departments. */
export const Viewer = createParamDecorator((_: unknown, context: ExecutionContext): DirectoryViewer => {
  const principal = context.switchToHttp().getRequest<AnpiRequest>().principal;
  if (!principal || principal.kind === 'platform') throw new ForbiddenError('tenant_route', 'This route needs a tenant user or API key');
  return directoryViewer(principal);
});
