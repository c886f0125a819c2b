import { Injectable } from '@nestjs/common';
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { AppConfig } from '#anpi/config';
import type { LineCredentials } from '../credentials.js';
import { PermanentDeliveryError, ProviderThrottledError, TransientDeliveryError, retryAfterMs, withTimeout } from '../delivery-errors.js';
import { LineChannel, type LineMessage, type LineProfile, type MulticastResult } from './line-channel.js';

/** LineChannel over the official SDK, pointed at LINE_API_BASE_URL (LINE, or a stand-in). */
@Injectable()
export class LineSdkChannel extends LineChannel {
  private readonly clients = new Map<string, messagingApi.MessagingApiClient>();

  constructor(private readonly config: AppConfig) {
    super();
  }

  multicast(credentials: LineCredentials, to: string[], messages: LineMessage[], retryKey: string): Promise<MulticastResult> {
    return this.sent('LINE multicast', () => this.client(credentials).multicastWithHttpInfo({ to, messages: messages as messagingApi.Message[] }, retryKey));
  }

  push(credentials: LineCredentials, to: string, messages: LineMessage[], retryKey: string): Promise<MulticastResult> {
    return this.sent('LINE push', () => this.client(credentials).pushMessageWithHttpInfo({ to, messages: messages as messagingApi.Message[] }, retryKey));
  }

  async reply(credentials: LineCredentials, replyToken: string, messages: LineMessage[]): Promise<void> {
    await this.call('LINE reply', () => this.client(credentials).replyMessage({ replyToken, messages: messages as messagingApi.Message[] }));
  }

  async issueLinkToken(credentials: LineCredentials, userId: string): Promise<string> {
    return (await this.call('LINE link token', () => this.client(credentials).issueLinkToken(userId))).linkToken;
  }

  async profile(credentials: LineCredentials, userId: string): Promise<LineProfile | null> {
    try {
      const profile = await this.call('LINE profile', () => this.client(credentials).getProfile(userId));
      return { displayName: profile.displayName };
    } catch (error) {
      if (error instanceof PermanentDeliveryError && / 404:/.test(error.message)) return null;
      throw error;
    }
  }

  async monthlyConsumption(credentials: LineCredentials): Promise<number> {
    return (await this.call('LINE quota consumption', () => this.client(credentials).getMessageQuotaConsumption())).totalUsage;
  }

  private async sent(what: string, request: () => Promise<{ httpResponse: Response }>): Promise<MulticastResult> {
    try {
      const response = await this.call(what, request);
      return { requestId: response.httpResponse.headers.get('x-line-request-id'), duplicate: false };
    } catch (error) {
      if (error instanceof AcceptedBefore) return { requestId: error.requestId, duplicate: true };
      throw error;
    }
  }

  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await withTimeout(request(), this.config.delivery.providerTimeoutMs, what);
    } catch (error) {
      if (!(error instanceof HTTPFetchError)) {
        if (error instanceof TransientDeliveryError) throw error;
        throw new TransientDeliveryError(`LINE unreachable: ${(error as Error).message}`);
      }
      if (error.status === 409 && error.headers.get('x-line-accepted-request-id')) throw new AcceptedBefore(error.headers.get('x-line-accepted-request-id'));
      const reason = `LINE ${error.status}: ${lineMessage(error.body)}`;
      if (error.status === 429) throw new ProviderThrottledError(reason, retryAfterMs(error.headers.get('retry-after')));
      if (error.status >= 500) throw new TransientDeliveryError(reason, retryAfterMs(error.headers.get('retry-after')));
      throw new PermanentDeliveryError(reason);
    }
  }

  private client(credentials: LineCredentials): messagingApi.MessagingApiClient {
    let client = this.clients.get(credentials.accessToken);
    if (!client) {
      client = new messagingApi.MessagingApiClient({ channelAccessToken: credentials.accessToken, baseURL: this.config.line.apiBaseUrl });
      this.clients.set(credentials.accessToken, client);
    }
    return client;
  }
}

/** LINE's 409 for a retry key it has already accepted: the message went out the first time. */
class AcceptedBefore extends Error {
  constructor(readonly requestId: string | null) {
    super('accepted before');
  }
}

function lineMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: string; details?: { message?: string; property?: string }[] };
    const details = (parsed.details ?? []).map((d) => `${d.property ?? ''} ${d.message ?? ''}`.trim()).join('; ');
    return [parsed.message, details].filter(Boolean).join(': ') || body.slice(0, 200);
  } catch {
    return body.slice(0, 200);
  }
}
