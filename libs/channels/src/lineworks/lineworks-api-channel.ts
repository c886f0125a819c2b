import { Injectable } from '@nestjs/common';
import { AppConfig } from '#anpi/config';
import { PermanentDeliveryError, ProviderThrottledError, TransientDeliveryError } from '../delivery-errors.js';
import { postJson, type FormPostResponse } from '../http-post.js';
import { ProviderRateLimiter } from '../rate-limiter.js';
import type { LineWorksApp, LineWorksContent } from './lineworks-app.js';
import { LineWorksChannel, type LineWorksRateState } from './lineworks-channel.js';
import { LineWorksTokens } from './lineworks-tokens.js';

/** The rate-limit bucket of an app: LINE WORKS counts per domain and API operation; one app per tenant here. */
export const lineworksBucket = (app: Pick<LineWorksApp, 'clientId'>) => `lineworks:${app.clientId}`;

/**
 * LINE WORKS API 2.0 over HTTP: POST /bots/{botId}/users/{userId}/messages with the app's cached
 * access token. A 401 (the token expired or was revoked) drops the token and tries once more with
 * a new one; a 429 pauses every worker's sends for this app until the window resets (rateLimit-reset)
 * and is retried without spending an attempt; 400/403/404 are refusals for good.
 */
@Injectable()
export class LineWorksApiChannel extends LineWorksChannel {
  constructor(
    private readonly config: AppConfig,
    private readonly tokens: LineWorksTokens,
    private readonly limiter: ProviderRateLimiter,
  ) {
    super();
  }

  async send(app: LineWorksApp, userId: string, content: LineWorksContent): Promise<LineWorksRateState> {
    const url = `${this.config.lineworks.apiBaseUrl}/bots/${encodeURIComponent(app.botId)}/users/${encodeURIComponent(userId)}/messages`;
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.get(app);
      let response: FormPostResponse;
      try {
        response = await postJson(url, { Authorization: `Bearer ${token}` }, { content }, this.config.delivery.providerTimeoutMs);
      } catch (error) {
        throw new TransientDeliveryError(`LINE WORKS: ${(error as Error).message}`);
      }
      const rate = rateState(response);
      if (rate.remaining === 0 && rate.resetMs !== undefined) await this.limiter.pause(lineworksBucket(app), rate.resetMs);
      if (response.status === 201 || response.status === 200) return rate;
      if (response.status === 401 && attempt === 0) {
        await this.tokens.invalidate(app, token);
        continue;
      }
      const reason = `LINE WORKS ${response.status}: ${describe(response.text)}`;
      if (response.status === 429) {
        const wait = rate.resetMs ?? 60_000;
        await this.limiter.pause(lineworksBucket(app), wait);
        throw new ProviderThrottledError(reason, wait);
      }
      if ([400, 403, 404].includes(response.status)) throw new PermanentDeliveryError(reason);
      throw new TransientDeliveryError(reason);
    }
  }

  async testConnection(app: LineWorksApp): Promise<{ ok: boolean; message: string }> {
    try {
      await this.tokens.fetch(app);
      return { ok: true, message: '接続できました: アクセストークンを取得しました。/ Connected: an access token was issued.' };
    } catch (error) {
      const reason = (error as Error).message;
      return {
        ok: false,
        message:
          error instanceof PermanentDeliveryError
            ? '認証できませんでした。Client ID・Client Secret・Service Account・Private Key を確認してください。/ ' +
              `Authentication failed: check the client id, client secret, service account and private key. (${reason})`
            : `LINE WORKS に接続できませんでした。しばらくしてからお試しください。/ Could not reach LINE WORKS; try again shortly. (${reason})`,
      };
    }
  }
}

function header(response: FormPostResponse, name: string): number | undefined {
  const value = response.headers[name.toLowerCase()];
  const n = Number(Array.isArray(value) ? value[0] : value);
  return value !== undefined && Number.isFinite(n) ? n : undefined;
}

function rateState(response: FormPostResponse): LineWorksRateState {
  const remaining = header(response, 'ratelimit-remaining');
  const reset = header(response, 'ratelimit-reset');
  return { ...(remaining !== undefined && { remaining }), ...(reset !== undefined && { resetMs: reset * 1000 }) };
}

/** LINE WORKS errors are { code, description }. */
function describe(text: string): string {
  try {
    const body = JSON.parse(text) as { code?: string; description?: string };
    return [body.code, body.description].filter(Boolean).join(' ') || text.slice(0, 200);
  } catch {
    return text.slice(0, 200) || 'no body';
  }
}
