import { Injectable } from '@nestjs/common';
import { AppConfig } from '#anpi/config';
import type { SmsCredentials } from '../credentials.js';
import { PermanentDeliveryError, TransientDeliveryError, retryAfterMs } from '../delivery-errors.js';
import { SmsChannel } from './sms-channel.js';

/** SmsChannel over Twilio's REST API (form-encoded, basic auth), at TWILIO_API_BASE_URL. */
@Injectable()
export class TwilioSmsChannel extends SmsChannel {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async send(credentials: SmsCredentials, to: string, body: string): Promise<{ messageId: string }> {
    const form = new URLSearchParams({ To: to, Body: body });
    if (credentials.messagingServiceSid) form.set('MessagingServiceSid', credentials.messagingServiceSid);
    else if (credentials.from) form.set('From', credentials.from);
    let response: Response;
    try {
      response = await fetch(`${this.config.sms.apiBaseUrl}/2010-04-01/Accounts/${credentials.accountSid}/Messages.json`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: form,
        signal: AbortSignal.timeout(this.config.delivery.providerTimeoutMs),
      });
    } catch (error) {
      throw new TransientDeliveryError(`Twilio unreachable: ${(error as Error).message}`);
    }
    const text = await response.text().catch(() => '');
    if (response.status === 201 || response.status === 200) {
      const sid = (JSON.parse(text) as { sid?: string }).sid;
      if (!sid) throw new TransientDeliveryError('Twilio answered without a message sid');
      return { messageId: sid };
    }
    const reason = `Twilio ${response.status}: ${twilioMessage(text)}`;
    if (response.status === 429 || response.status >= 500) throw new TransientDeliveryError(reason, retryAfterMs(response.headers.get('retry-after')));
    throw new PermanentDeliveryError(reason);
  }
}

function twilioMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: string; code?: number };
    return [parsed.code, parsed.message].filter(Boolean).join(' ') || body.slice(0, 200);
  } catch {
    return body.slice(0, 200);
  }
}
