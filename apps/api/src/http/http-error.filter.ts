import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';

/** Errors that say when to retry (throttling) carry the standard Retry-After header too. */
@Catch()
export class HttpErrorFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const retryAfter = typeof body === 'object' && body !== null ? (body as { retryAfter?: unknown }).retryAfter : undefined;
      if (typeof retryAfter === 'number') host.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    }
    super.catch(exception, host);
  }
}
