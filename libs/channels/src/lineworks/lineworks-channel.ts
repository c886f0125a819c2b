import type { LineWorksApp, LineWorksContent } from './lineworks-app.js';

/** What a LINE WORKS response said about the rate limit (its rateLimit-* headers), when it said. */
export interface LineWorksRateState {
  remaining?: number;
  /** Milliseconds until the window resets. */
  resetMs?: number;
}

/**
 * LINE WORKS' bot, behind a narrow interface: send one user a message, and check that an app's
 * credentials work. Errors are delivery errors (transient, throttled, permanent) like the other channels'.
 */
export abstract class LineWorksChannel {
  /** One message to one user (`userId`: the member's user id or login id). */
  abstract send(app: LineWorksApp, userId: string, content: LineWorksContent): Promise<LineWorksRateState>;

  /** Gets an access token with the app's credentials (a fresh one, not the cached one). */
  abstract testConnection(app: LineWorksApp): Promise<{ ok: boolean; message: string }>;
}
