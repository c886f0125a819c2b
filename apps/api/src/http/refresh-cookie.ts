import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import type { AnpiRequest } from './request.js';

/** The console's refresh token: only the console-session routes ever receive it. */
export const REFRESH_COOKIE = 'anpi_refresh';
export const REFRESH_COOKIE_PATH = '/v1/auth/console';

/** HttpOnly (no script reads it), Secure, SameSite=Strict (no other site sends it), this path only. */
export function setRefreshCookie(res: Response, token: string, expiresAt: Date): void {
  res.cookie(REFRESH_COOKIE, token, { httpOnly: true, secure: true, sameSite: 'strict', path: REFRESH_COOKIE_PATH, expires: expiresAt });
}

export function clearRefreshCookie(res: Response): void {
  res.clearCookie(REFRESH_COOKIE, { httpOnly: true, secure: true, sameSite: 'strict', path: REFRESH_COOKIE_PATH });
}

/** The refresh token the browser sent, or '' (cookie-parser runs on REFRESH_COOKIE_PATH only). */
export const RefreshCookie = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const cookies = (context.switchToHttp().getRequest<AnpiRequest>() as AnpiRequest & { cookies?: Record<string, unknown> }).cookies;
  const value = cookies?.[REFRESH_COOKIE];
  return typeof value === 'string' ? value : '';
});
