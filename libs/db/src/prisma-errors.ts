import { Prisma } from './generated/prisma/client.js';

/** True when the error is a unique-constraint violation (optionally on the given column). */
export function isUniqueViolation(error: unknown, column?: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return false;
  if (!column) return true;
  const target = JSON.stringify(error.meta ?? {});
  return target.includes(column);
}

export function isNotFound(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025';
}

// Connection refused/reset, the server shutting down or starting up, a broken connection.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  'P1001',
  'P1017',
]);
const UNAVAILABLE_TEXT = new RegExp(
  [
    'Connection terminated',
    'connect ECONNREFUSED',
    "Can't reach database",
    'the database system is (shutting down|starting up)',
    'terminating connection due to administrator command',
    'Client has encountered a connection error',
  ].join('|'),
  'i',
);

/**
 * True when the database could not be reached or dropped the connection (not when a statement
 * failed): the request may simply be retried. Looks through Prisma's and the driver's wrapping.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message, originalCode } = e as { code?: unknown; message?: unknown; originalCode?: unknown };
    if ((typeof code === 'string' && UNAVAILABLE_CODES.has(code)) || (typeof originalCode === 'string' && UNAVAILABLE_CODES.has(originalCode))) return true;
    if (typeof message === 'string' && UNAVAILABLE_TEXT.test(message)) return true;
  }
  return false;
}
