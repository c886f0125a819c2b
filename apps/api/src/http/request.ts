import type { Request } from 'express';
import type { Principal } from '#anpi/accounts';
import type { LogContext } from '#anpi/observability';

/** The request as anpi's guard leaves it. */
export interface AnpiRequest extends Request {
  principal?: Principal;
  logContext?: LogContext;
}
