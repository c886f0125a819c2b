import { ForbiddenError, UnauthorizedError } from '#anpi/errors';

export class TenantSuspendedException extends ForbiddenError {
  constructor(reason: string | null) {
    super('tenant_suspended', `This tenant is suspended${reason ? `: ${reason}` : ''}. Contact the anpi operator.`, { reason });
  }
}

/** One answer for a wrong password, an unknown email and an unknown tenant alike. */
export class InvalidCredentialsException extends UnauthorizedError {
  constructor() {
    super('Invalid company code, email or password', 'invalid_credentials');
  }
}

export class InvalidSessionException extends UnauthorizedError {
  constructor(message = 'The refresh token is invalid, expired or revoked; log in again') {
    super(message, 'invalid_session');
  }
}
