export { RequestContext, type LogContext } from './request-context.js';
export { createLogger, PinoNestLogger } from './logger.js';
export { httpLogging, loggableUrl } from './http-logging.js';
