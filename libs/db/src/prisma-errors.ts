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
