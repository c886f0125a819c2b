import { Injectable } from '@nestjs/common';
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { AppConfig } from '#anpi/config';
import type { LineCredentials } from '../credentials.js';
import { PermanentDeliveryError, ProviderThrottledError, TransientDeliveryError, retryAfterMs, withTimeout } from '../delivery-errors.js';
import { postJson, type FormPostResponse } from '../http-post.js';
import { LineChannel, type LineMessage, type LineProfile, type MulticastResult } from './line-channel.js';

/**
 * LineChannel against LINE_API_BASE_URL (LINE, or a stand-in). Messages (multicast, push, reply)
 * go as plain JSON POSTs over Node's own http client: the official SDK sends through fetch, whose
 * web streams and abort signals were a third of a worker's CPU when 70,000 taps were answered in a
 * minute (bench/HISTORY.md). The account calls (link token, profile, quota), a handful a day, use
 * the SDK.
 */
@Injectable()
export class LineApiChannel extends LineChannel {
  private readonly clients = new Map<string, messagingApi.MessagingApiClient>();

  constructor(private readonly config: AppConfig) {
    super();
  }

  multicast(credentials: LineCredentials, to: string[], messages: LineMessage[], retryKey: string): Promise<MulticastResult> {
    return this.sent(credentials, '/v2/bot/message/multicast', { to, messages }, retryKey);
  }

  push(credentials: LineCredentials, to: string, messages: LineMessage[], retryKey: string): Promise<MulticastResult> {
    return this.sent(credentials, '/v2/bot/message/push', { to, messages }, retryKey);
  }

  async reply(credentials: LineCredentials, replyToken: string, messages: LineMessage[]): Promise<void> {
    await this.post(credentials, '/v2/bot/message/reply', { replyToken, messages });
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

  /** A message send under a retry key; LINE's 409 for a key it accepted before is success, not again. */
  private async sent(credentials: LineCredentials, path: string, body: unknown, retryKey: string): Promise<MulticastResult> {
    try {
      const response = await this.post(credentials, path, body, { 'X-Line-Retry-Key': retryKey });
      return { requestId: header(response, 'x-line-request-id'), duplicate: false };
    } catch (error) {
      if (error instanceof AcceptedBefore) return { requestId: error.requestId, duplicate: true };
      throw error;
    }
  }

  private async post(credentials: LineCredentials, path: string, body: unknown, headers: Record<string, string> = {}): Promise<FormPostResponse> {
    let response: FormPostResponse;
    try {
      response = await postJson(
        `${this.config.line.apiBaseUrl}${path}`,
        { Authorization: `Bearer ${credentials.accessToken}`, ...headers },
        body,
        this.config.delivery.providerTimeoutMs,
      );
    } catch (error) {
      throw new TransientDeliveryError(`LINE unreachable: ${(error as Error).message}`);
    }
    if (response.status >= 200 && response.status < 300) return response;
    throw lineError(response.status, (name) => header(response, name), response.text);
  }

  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await withTimeout(request(), this.config.delivery.providerTimeoutMs, what);
    } catch (error) {
      if (error instanceof HTTPFetchError) throw lineError(error.status, (name) => error.headers.get(name), error.body);
      if (error instanceof TransientDeliveryError) throw error;
      throw new TransientDeliveryError(`LINE unreachable: ${(error as Error).message}`);
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

/** An error answer of LINE's as the error the senders act on (retry, wait, or give up). */
function lineError(status: number, header: (name: string) => string | null, body: string): Error {
  const acceptedId = header('x-line-accepted-request-id');
  if (status === 409 && acceptedId) return new AcceptedBefore(acceptedId);
  const reason = `LINE ${status}: ${lineMessage(body)}`;
  if (status === 429) return new ProviderThrottledError(reason, retryAfterMs(header('retry-after')));
  if (status >= 500) return new TransientDeliveryError(reason, retryAfterMs(header('retry-after')));
  return new PermanentDeliveryError(reason);
}

function header(response: FormPostResponse, name: string): string | null {
  const value = response.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
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
