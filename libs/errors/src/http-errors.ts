import {
  HttpException,
  BadRequestException,
  ConflictException,
  ForbiddenException,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
  UnauthorizedException,
  UnprocessableEntityException,
} from '@nestjs/common';

export interface FieldError {
  field: string;
  reason: string;
}

/**
 * The API's errors, one class each, every one rendering the one error body (ErrorResponse:
 * statusCode, error, message, and where it helps code, errors, retryAfter). They are Nest HTTP
 * exceptions, so the exception filter renders them as they are; domain code throws these instead
 * of building bodies by hand.
 */

/** Not found, or not visible to the caller (the two are never told apart). */
export class NotFoundError extends NotFoundException {
  constructor(message: string) {
    super({ statusCode: 404, error: 'Not Found', message });
  }

  /** "<Resource> <id> not found". */
  static of(resource: string, id: string): NotFoundError {
    return new NotFoundError(`${resource} ${id} not found`);
  }
}

/** The request conflicts with the resource's state; `code` says which way. */
export class ConflictError extends ConflictException {
  constructor(code: string, message: string, extra: Record<string, unknown> = {}) {
    super({ statusCode: 409, error: 'Conflict', code, message, ...extra });
  }
}

/** The caller may not do this: role, department scope, a setting; `code` says which. */
export class ForbiddenError extends ForbiddenException {
  constructor(code: string, message: string, extra: Record<string, unknown> = {}) {
    super({ statusCode: 403, error: 'Forbidden', code, message, ...extra });
  }
}

/** Input that fails validation: each field with its reason. */
export class InvalidInputError extends BadRequestException {
  constructor(errors: FieldError[], message = `Validation failed: ${errors.map((e) => e.reason).join('; ')}`) {
    super({ statusCode: 400, error: 'Bad Request', message, errors });
  }

  static field(field: string, reason: string): InvalidInputError {
    return new InvalidInputError([{ field, reason }]);
  }
}

/** A request that cannot be read at all (a file, a body), not a field of it. */
export class BadRequestError extends BadRequestException {
  constructor(message: string, code?: string) {
    super({ statusCode: 400, error: 'Bad Request', ...(code && { code }), message });
  }
}

export class UnauthorizedError extends UnauthorizedException {
  constructor(message: string, code?: string) {
    super({ statusCode: 401, error: 'Unauthorized', ...(code && { code }), message });
  }
}

/** Understood and valid, but a provider or rule refused it. */
export class UnprocessableError extends UnprocessableEntityException {
  constructor(code: string, message: string) {
    super({ statusCode: 422, error: 'Unprocessable Entity', code, message });
  }
}

/** Briefly unavailable: the client may retry (after `retryAfter` seconds, also sent as Retry-After). */
export class UnavailableError extends ServiceUnavailableException {
  constructor(message: string, options: { code?: string; retryAfter?: number } = {}) {
    super({
      statusCode: 503,
      error: 'Service Unavailable',
      ...(options.code && { code: options.code }),
      message,
      ...(options.retryAfter !== undefined && { retryAfter: options.retryAfter }),
    });
  }
}

/** A body over its limit; the message says the limit. */
export class PayloadTooLargeError extends PayloadTooLargeException {
  constructor(message: string) {
    super({ statusCode: 413, error: 'Payload Too Large', code: 'payload_too_large', message });
  }
}

/** Over a rate limit: the client may try again after `retryAfter` seconds (also sent as Retry-After). */
export class TooManyRequestsError extends HttpException {
  constructor(code: string, message: string, retryAfter: number) {
    super({ statusCode: 429, error: 'Too Many Requests', code, message, retryAfter }, 429);
  }
}
