import { ForbiddenException, UnauthorizedException } from '@nestjs/common';

export class TenantSuspendedException extends ForbiddenException {
  constructor(reason: string | null) {
    super({
      statusCode: 403,
      error: 'Forbidden',
      code: 'tenant_suspended',
      message: `This tenant is suspended${reason ? `: ${reason}` : ''}. Contact the anpi operator.`,
      reason,
    });
  }
}

/** One answer for a wrong password, an unknown email and an unknown tenant alike. */
export class InvalidCredentialsException extends UnauthorizedException {
  constructor() {
    super({ statusCode: 401, error: 'Unauthorized', code: 'invalid_credentials', message: 'Invalid company code, email or password' });
  }
}

export class InvalidSessionException extends UnauthorizedException {
  constructor(message = 'The refresh token is invalid, expired or revoked; log in again') {
    super({ statusCode: 401, error: 'Unauthorized', code: 'invalid_session', message });
  }
}
