import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Role = Schemas['SessionUserView']['role'];

/** An error from the API, in words: the message, the field each reason concerns, and any wait. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly fields: { field: string; reason: string }[] = [],
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** The access token lives here, in the page's memory only (never in storage). */
let accessToken: string | null = null;
let onUnauthorized: (() => Promise<boolean>) | null = null;

export function setAccessToken(token: string | null): void {
  accessToken = token;
}

/** Called on a 401 from a tenant route: refresh the session (true) or end it (false). */
export function setUnauthorizedHandler(handler: (() => Promise<boolean>) | null): void {
  onUnauthorized = handler;
}

const auth: Middleware = {
  onRequest({ request }) {
    if (accessToken && !request.url.includes('/v1/auth/console/')) request.headers.set('Authorization', `Bearer ${accessToken}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(auth);

export function authHeader(): Record<string, string> {
  return accessToken ? { Authorization: `Bearer ${accessToken}` } : {};
}

export async function toApiError(response: Response, body: unknown): Promise<ApiError> {
  const b = (body ?? {}) as { message?: string; code?: string; errors?: { field: string; reason: string }[]; retryAfter?: number };
  const retry = b.retryAfter ?? (Number(response.headers.get('Retry-After')) || undefined);
  return new ApiError(response.status, b.message ?? `${response.status} ${response.statusText}`, b.code, b.errors ?? [], retry);
}

/**
 * Runs one API call and returns its data, or throws an ApiError in words. A 401 refreshes the
 * session once and retries; if the session cannot be refreshed the console returns to login.
 */
export async function call<T>(request: () => Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result = await request();
  if (result.response.status === 401 && onUnauthorized && (await onUnauthorized())) result = await request();
  if (result.error !== undefined || !result.response.ok) throw await toApiError(result.response, result.error);
  return result.data as T;
}

/** For routes answering a file (CSV): fetched with the session, saved by the browser. */
export async function download(path: string, filename: string): Promise<void> {
  let response = await fetch(path, { headers: authHeader() });
  if (response.status === 401 && onUnauthorized && (await onUnauthorized())) response = await fetch(path, { headers: authHeader() });
  if (!response.ok) throw await toApiError(response, await response.json().catch(() => null));
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
