import { pino, type Logger } from 'pino';
import type { LoggerService } from '@nestjs/common';
import { RequestContext } from './request-context.js';

/**
 * Keys that must never reach a log line, wherever they appear. Logs carry ids (tenant, user,
 * broadcast, request), never passwords, tokens, contacts or answers.
 */
const REDACT = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'key',
  'secret',
  'authorization',
  'cookie',
  'email',
  'emails',
  'mobile',
  'mobiles',
  'phone',
];

export interface LoggerOptions {
  level: string;
  service: string;
  destination?: pino.DestinationStream;
  /** Add the running request's or job's ids to each line (off for the access log, which adds its own). */
  withContext?: boolean;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      redact: { paths: [...REDACT, ...REDACT.map((k) => `*.${k}`)], censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      mixin: options.withContext === false ? undefined : () => ({ ...RequestContext.current() }),
    },
    options.destination,
  );
}

/** Nest's logger interface over pino, so framework and application logs share one JSON stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    // Below the level nothing is built: the hot paths log per job and per event.
    if (!this.logger.isLevelEnabled(level)) return;
    // Nest passes the context (class name) last; errors pass a stack before it.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack = typeof rest[0] === 'string' ? (rest[0] as string) : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (message && typeof message === 'object') {
      const { msg, ...data } = message as Record<string, unknown>;
      this.logger[level]({ ...fields, ...data }, typeof msg === 'string' ? msg : '');
    } else {
      this.logger[level](stack && level === 'error' ? { ...fields, stack } : fields, String(message));
    }
  }
}
