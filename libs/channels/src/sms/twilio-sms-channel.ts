import { Injectable } from '@nestjs/common';
import { AppConfig } from '#anpi/config';
import type { SmsCredentials } from '../credentials.js';
import { PermanentDeliveryError, ProviderThrottledError, TransientDeliveryError, retryAfterMs } from '../delivery-errors.js';
import { postForm, type FormPostResponse } from '../http-post.js';
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
    let response: FormPostResponse;
    try {
      response = await postForm(
        `${this.config.sms.apiBaseUrl}/2010-04-01/Accounts/${credentials.accountSid}/Messages.json`,
        { Authorization: `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')}` },
        form,
        this.config.delivery.providerTimeoutMs,
      );
    } catch (error) {
      throw new TransientDeliveryError(`Twilio unreachable: ${(error as Error).message}`);
    }
    const { status, text } = response;
    if (status === 201 || status === 200) {
      const sid = (JSON.parse(text) as { sid?: string }).sid;
      if (!sid) throw new TransientDeliveryError('Twilio answered without a message sid');
      return { messageId: sid };
    }
    const reason = `Twilio ${status}: ${twilioMessage(text)}`;
    if (status === 429) throw new ProviderThrottledError(reason, retryAfterMs(response.retryAfter));
    if (status >= 500) throw new TransientDeliveryError(reason, retryAfterMs(response.retryAfter));
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
