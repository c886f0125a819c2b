import { createParamDecorator, ForbiddenException, type ExecutionContext } from '@nestjs/common';
import { directoryViewer, type DirectoryViewer } from '#anpi/directory';
import type { AnpiRequest } from './request.js';

/** The caller as the directory sees them: which privacy tier, which departments. */
export const Viewer = createParamDecorator((_: unknown, context: ExecutionContext): DirectoryViewer => {
  const principal = context.switchToHttp().getRequest<AnpiRequest>().principal;
  if (!principal || principal.kind === 'platform') throw new ForbiddenException('This route needs a tenant user or API key');
  return directoryViewer(principal);
});
