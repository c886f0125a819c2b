import { ArgumentsHost, Catch, HttpException, Logger } from '@nestjs/common';
import { isDatabaseUnavailable } from '#anpi/db';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { UnavailableError } from '#anpi/errors';

/**
 * Errors that say when to retry (throttling) carry the standard Retry-After header too; anything
 * that is not an HTTP error is logged with its stack (the client gets a bare 500).
 */
@Catch()
export class HttpErrorFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (!(exception instanceof HttpException) && isDatabaseUnavailable(exception)) {
      // Nothing half-written (every unit of work is one transaction): the client may retry.
      this.logger.warn({ msg: 'database unavailable', err: (exception as Error).message });
      exception = new UnavailableError('The database is briefly unavailable; retry in a few seconds', { code: 'database_unavailable', retryAfter: 5 });
    }
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const retryAfter = typeof body === 'object' && body !== null ? (body as { retryAfter?: unknown }).retryAfter : undefined;
      if (typeof retryAfter === 'number') host.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    } else {
      this.logger.error(exception instanceof Error ? exception : new Error(String(exception)));
    }
    super.catch(exception, host);
  }
}
