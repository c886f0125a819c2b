import { Injectable } from '@nestjs/common';
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { AppConfig } from '#anpi/config';
import type { LineCredentials } from '../credentials.js';
import { PermanentDeliveryError, TransientDeliveryError, retryAfterMs, withTimeout } from '../delivery-errors.js';
import { LineChannel, type LineMessage, type MulticastResult } from './line-channel.js';

/** LineChannel over the official SDK, pointed at LINE_API_BASE_URL (LINE, or a stand-in). */
@Injectable()
export class LineSdkChannel extends LineChannel {
  private readonly clients = new Map<string, messagingApi.MessagingApiClient>();

  constructor(private readonly config: AppConfig) {
    super();
  }

  async multicast(credentials: LineCredentials, to: string[], messages: LineMessage[], retryKey: string): Promise<MulticastResult> {
    const client = this.client(credentials.accessToken);
    try {
      const response = await withTimeout(
        client.multicastWithHttpInfo({ to, messages: messages as messagingApi.Message[] }, retryKey),
        this.config.delivery.providerTimeoutMs,
        'LINE multicast',
      );
      return { requestId: response.httpResponse.headers.get('x-line-request-id'), duplicate: false };
    } catch (error) {
      if (!(error instanceof HTTPFetchError)) {
        if (error instanceof TransientDeliveryError) throw error;
        throw new TransientDeliveryError(`LINE unreachable: ${(error as Error).message}`);
      }
      if (error.status === 409 && error.headers.get('x-line-accepted-request-id')) {
        return { requestId: error.headers.get('x-line-accepted-request-id'), duplicate: true };
      }
      const reason = `LINE ${error.status}: ${lineMessage(error.body)}`;
      if (error.status === 429 || error.status >= 500) throw new TransientDeliveryError(reason, retryAfterMs(error.headers.get('retry-after')));
      throw new PermanentDeliveryError(reason);
    }
  }

  private client(accessToken: string): messagingApi.MessagingApiClient {
    let client = this.clients.get(accessToken);
    if (!client) {
      client = new messagingApi.MessagingApiClient({ channelAccessToken: accessToken, baseURL: this.config.line.apiBaseUrl });
      this.clients.set(accessToken, client);
    }
    return client;
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
