import { Injectable } from '@nestjs/common';
import { AppConfig } from '#anpi/config';
import { PermanentDeliveryError, ProviderThrottledError, TransientDeliveryError, retryAfterMs } from '../delivery-errors.js';
import { postJson, type FormPostResponse } from '../http-post.js';
import { EmailProvider, type EmailAccount, type EmailBatchResult, type EmailRecipient, type PersonalizedEmail } from './email-provider.js';
import { fillEmailMarkers } from './email-template.js';

/** The custom argument naming the delivery on each personalization; the Event Webhook echoes it. */
export const DELIVERY_ID_ARG = 'anpi_delivery_id';

/**
 * SendGrid's v3 Mail Send: one request for up to SENDGRID_BATCH_SIZE recipients (at most 1,000),
 * each its own personalization with its own address, subject and substitutions (name, link), the
 * delivery id as a custom argument. 202 means every personalization was accepted. The API has no
 * idempotency key: a request whose answer is lost may have been accepted, which is why the
 * request size is also the bound on what a retry can repeat.
 */
@Injectable()
export class SendgridEmailProvider extends EmailProvider {
  readonly kind = 'sendgrid' as const;
  readonly batchSize: number;

  constructor(private readonly config: AppConfig) {
    super();
    this.batchSize = config.sendgrid.batchSize;
  }

  async sendBatch(account: EmailAccount, email: PersonalizedEmail): Promise<EmailBatchResult> {
    const result: EmailBatchResult = { accepted: [], refused: [], failure: null };
    // SendGrid refuses a request naming one address twice: such recipients go in a later request.
    for (const request of withoutRepeatedAddresses(email.recipients, this.batchSize)) {
      try {
        await this.sendSplittingRefusals(account, email, request, result);
      } catch (error) {
        result.failure = error as Error;
        return result;
      }
    }
    return result;
  }

  /** A 400 names no personalization: halves are tried until the refused recipients stand alone. */
  private async sendSplittingRefusals(account: EmailAccount, email: PersonalizedEmail, recipients: EmailRecipient[], result: EmailBatchResult): Promise<void> {
    try {
      const messageId = await this.request(account, email, recipients);
      for (const r of recipients) result.accepted.push({ id: r.id, messageId });
    } catch (error) {
      if (!(error instanceof PermanentDeliveryError)) throw error;
      if (recipients.length === 1) {
        result.refused.push({ id: recipients[0]!.id, reason: error.message });
        return;
      }
      const half = Math.ceil(recipients.length / 2);
      await this.sendSplittingRefusals(account, email, recipients.slice(0, half), result);
      await this.sendSplittingRefusals(account, email, recipients.slice(half), result);
    }
  }

  private async request(account: EmailAccount, email: PersonalizedEmail, recipients: EmailRecipient[]): Promise<string> {
    let response: FormPostResponse;
    try {
      response = await postJson(
        `${this.config.sendgrid.apiBaseUrl}/v3/mail/send`,
        { Authorization: `Bearer ${account.apiKey ?? ''}` },
        mailSendBody(email, recipients),
        this.config.delivery.providerTimeoutMs,
      );
    } catch (error) {
      throw new TransientDeliveryError(`SendGrid unreachable: ${(error as Error).message}`);
    }
    const { status, text, headers } = response;
    if (status === 202 || status === 200) return String(headers['x-message-id'] ?? '');
    const reason = `SendGrid ${status}: ${sendgridMessage(text)}`;
    if (status === 429) throw new ProviderThrottledError(reason, retryAfterMs(response.retryAfter) ?? resetInMs(headers['x-ratelimit-reset']));
    // Refused credentials will not heal by retrying, but the next provider may take the batch.
    if (status >= 500 || status === 401 || status === 403) throw new TransientDeliveryError(reason, retryAfterMs(response.retryAfter));
    throw new PermanentDeliveryError(reason);
  }
}

/** The Mail Send body: one personalization per recipient, the shared content with markers. */
export function mailSendBody(email: PersonalizedEmail, recipients: EmailRecipient[]): Record<string, unknown> {
  return {
    personalizations: recipients.map((r) => ({
      to: r.to
        .split(',')
        .map((address) => address.trim())
        .filter(Boolean)
        .map((address) => ({ email: address })),
      subject: fillEmailMarkers(email.subject, r.values),
      ...(Object.keys(r.values).length > 0 && { substitutions: r.values }),
      ...(email.trackDeliveries && { custom_args: { [DELIVERY_ID_ARG]: r.id } }),
    })),
    from: { email: email.from.fromAddress, name: email.from.fromName },
    content: [
      { type: 'text/plain', value: email.text },
      { type: 'text/html', value: email.html },
    ],
    ...(email.inlineImages?.length && {
      attachments: email.inlineImages.map((image) => ({
        content: image.content.toString('base64'),
        type: image.contentType,
        filename: image.filename,
        disposition: 'inline',
        content_id: image.cid,
      })),
    }),
    // Click tracking would rewrite each personal answer link through SendGrid's redirector.
    tracking_settings: { click_tracking: { enable: false, enable_text: false }, open_tracking: { enable: false } },
  };
}

/** Requests of at most `size` recipients, none naming an address twice. */
export function withoutRepeatedAddresses(recipients: EmailRecipient[], size: number): EmailRecipient[][] {
  const requests: { recipients: EmailRecipient[]; addresses: Set<string> }[] = [];
  for (const r of recipients) {
    const addresses = r.to.split(',').map((a) => a.trim().toLowerCase());
    let request = requests.find((q) => q.recipients.length < size && addresses.every((a) => !q.addresses.has(a)));
    if (!request) requests.push((request = { recipients: [], addresses: new Set() }));
    request.recipients.push(r);
    for (const a of addresses) request.addresses.add(a);
  }
  return requests.map((q) => q.recipients);
}

function sendgridMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: { message?: string; field?: string | null }[] };
    return (parsed.errors ?? []).map((e) => [e.field, e.message].filter((x) => x && x !== 'null').join(': ')).join('; ') || body.slice(0, 200);
  } catch {
    return body.slice(0, 200);
  }
}

function resetInMs(header: string | string[] | undefined): number | undefined {
  const value = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(value) && value > 0 ? Math.max(0, value * 1000 - Date.now()) : undefined;
}
