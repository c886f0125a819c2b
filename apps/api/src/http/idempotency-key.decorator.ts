import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { InvalidInputError } from '#anpi/errors';

/** The Idempotency-Key header: optional; when given, 1-200 visible ASCII characters. */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest<Request>().headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(value)) {
    const reason = 'Idempotency-Key must be 1-200 visible ASCII characters';
    throw InvalidInputError.field('Idempotency-Key', reason);
  }
  return value;
});
