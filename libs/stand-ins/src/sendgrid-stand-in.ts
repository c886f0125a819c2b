import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { Fault } from './faults.js';
import { HttpStandIn, type StandInRequest, type StandInResponse } from './http-stand-in.js';
import { OpenApiChecker } from './openapi-checker.js';

/** One email SendGrid accepted: a personalization, its substitutions applied as SendGrid would. */
export interface AcceptedEmail {
  messageId: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  customArgs: Record<string, string>;
  from: string;
  /** The API key the request was made with: which account sent it. */
  apiKey: string;
  at: Date;
}

interface MailSendBody {
  personalizations: {
    to: { email: string }[];
    cc?: { email: string }[];
    bcc?: { email: string }[];
    subject?: string;
    substitutions?: Record<string, string>;
    custom_args?: Record<string, string>;
  }[];
  from: { email: string; name?: string };
  subject?: string;
  content?: { type: string; value: string }[];
  template_id?: string;
  attachments?: unknown[];
}

/**
 * SendGrid's v3 Mail Send on localhost. Every request is checked against the official OpenAPI
 * document (tsg_mail_v3.json), plus the rules SendGrid documents only in prose (Mail Send
 * "Errors" and "Limitations" pages): at most 1,000 recipients (to + cc + bcc) in a request, each
 * address once per request, a subject for every personalization, text/plain before text/html,
 * content or a template, substitutions and custom arguments of at most 10,000 bytes each per
 * personalization. It also signs Event Webhook posts with its own ECDSA P-256 key, as SendGrid does.
 */
export class SendgridStandIn extends HttpStandIn {
  readonly emails: AcceptedEmail[] = [];
  readonly requests: { status: number; personalizations: number; at: number }[] = [];
  private readonly keys: { privateKey: KeyObject; publicKey: KeyObject };

  private constructor(
    private readonly checker: OpenApiChecker,
    private readonly apiKeys: Set<string>,
    private readonly keepBodies: boolean,
  ) {
    super();
    this.keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  }

  /**
   * `apiKeys`: the API keys this stand-in accepts (each a SendGrid account). `bodies: false` keeps
   * only addresses and custom arguments (a benchmark's 100,000 emails).
   */
  static async start(apiKeys: string[], port = 0, options: { bodies?: boolean } = {}): Promise<SendgridStandIn> {
    return new SendgridStandIn(await OpenApiChecker.load('sendgrid/tsg_mail_v3.json'), new Set(apiKeys), options.bodies ?? true).listen(port);
  }

  /** Another account whose API key this stand-in accepts (a tenant's own). */
  addAccount(apiKey: string): void {
    this.apiKeys.add(apiKey);
  }

  /** The Event Webhook verification key, as SendGrid's Mail Settings page shows it (base64 DER). */
  get webhookPublicKey(): string {
    return this.keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  }

  /** A fault with a 2xx status only delays (a hang) or lets a request through untouched: the next fault waits its turn. */
  protected async handle(request: StandInRequest, given: Fault | null): Promise<StandInResponse> {
    const fault = given && given.status >= 300 ? given : null;
    let body: MailSendBody;
    try {
      body = JSON.parse(request.raw) as MailSendBody;
    } catch {
      return this.answer(0, { status: 400, body: { errors: [{ message: 'Bad Request', field: null }] } });
    }
    const violation = this.checker.check({ method: request.method, path: request.path, headers: request.headers, query: request.query, body });
    const prose = Array.isArray(body.personalizations) ? proseViolations(body) : [];
    if (violation || prose.length) {
      const errors = [...(violation?.errors ?? []), ...prose];
      this.violations.push({ operation: violation?.operation ?? 'SendMail', errors, path: request.path });
      return this.answer(body.personalizations?.length ?? 0, { status: 400, body: { errors: errors.map((message) => ({ message, field: null })) } });
    }
    const count = body.personalizations.length;
    const apiKey = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!this.apiKeys.has(apiKey)) {
      return this.answer(count, {
        status: 401,
        body: { errors: [{ message: 'The provided authorization grant is invalid, expired, or revoked', field: null }] },
      });
    }
    if (fault && fault.when === 'before') return this.answer(count, sendgridFault(fault));
    const messageId = randomBytes(16).toString('base64url');
    for (const p of body.personalizations) {
      const fill = (text: string) =>
        this.keepBodies ? Object.entries(p.substitutions ?? {}).reduce((out, [key, value]) => out.split(key).join(value), text) : '';
      this.emails.push({
        messageId,
        to: p.to.map((t) => t.email),
        subject: fill(p.subject ?? body.subject ?? ''),
        text: fill(body.content?.find((c) => c.type === 'text/plain')?.value ?? ''),
        html: fill(body.content?.find((c) => c.type === 'text/html')?.value ?? ''),
        customArgs: p.custom_args ?? {},
        from: body.from.email,
        apiKey,
        at: new Date(),
      });
    }
    if (fault && fault.when === 'after') return this.answer(count, sendgridFault(fault));
    return this.answer(count, { status: 202, headers: { 'x-message-id': messageId } });
  }

  /**
   * An Event Webhook post as SendGrid sends it: a JSON array, signed over the timestamp followed by
   * the body. `timestamp` (seconds) and `tamper` let tests send what SendGrid never would.
   */
  signedEvents(
    events: Record<string, unknown>[],
    options: { timestamp?: number; signWith?: KeyObject } = {},
  ): { body: string; headers: Record<string, string> } {
    const body = JSON.stringify(events);
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const signature = sign('sha256', Buffer.from(timestamp + body), options.signWith ?? this.keys.privateKey).toString('base64');
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'x-twilio-email-event-webhook-signature': signature,
        'x-twilio-email-event-webhook-timestamp': timestamp,
      },
    };
  }

  /** An event about an email it accepted, with the custom arguments echoed as SendGrid does. */
  event(email: AcceptedEmail, event: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      email: email.to[0],
      timestamp: Math.floor(Date.now() / 1000),
      event,
      sg_event_id: randomBytes(16).toString('base64url'),
      sg_message_id: `${email.messageId}.filter0001.${randomBytes(4).toString('hex')}.0`,
      ...email.customArgs,
      ...extra,
    };
  }

  private answer(personalizations: number, response: StandInResponse): StandInResponse {
    this.requests.push({ status: response.status, personalizations, at: Date.now() });
    return response;
  }
}

function proseViolations(body: MailSendBody): string[] {
  const problems: string[] = [];
  const addresses = body.personalizations.flatMap((p) => [...(p.to ?? []), ...(p.cc ?? []), ...(p.bcc ?? [])].map((a) => String(a.email).toLowerCase()));
  if (body.personalizations.length === 0) problems.push('You must have at least one personalization.');
  if (addresses.length > 1000) problems.push(`There is a limit of 1000 total recipients (to + cc + bcc) per request; this one has ${addresses.length}.`);
  if (new Set(addresses).size !== addresses.length) problems.push('Each unique email address in the personalizations array should only be included once.');
  for (const [i, p] of body.personalizations.entries()) {
    if (!p.to?.length) problems.push(`personalizations.${i}.to: at least one recipient is required`);
    if (!body.template_id && !p.subject && !body.subject) problems.push(`personalizations.${i}.subject: a subject is required (global or per personalization)`);
    if (Buffer.byteLength(JSON.stringify(p.substitutions ?? {})) > 10_000) problems.push(`personalizations.${i}.substitutions: more than 10,000 bytes`);
    if (Buffer.byteLength(JSON.stringify(p.custom_args ?? {})) > 10_000) problems.push(`personalizations.${i}.custom_args: more than 10,000 bytes`);
    if (Object.values(p.custom_args ?? {}).some((v) => typeof v !== 'string')) problems.push(`personalizations.${i}.custom_args: values must be strings`);
  }
  if (!body.template_id && !body.content?.length) problems.push('content: at least one content object is required unless a template_id is given');
  const types = (body.content ?? []).map((c) => c.type);
  if (types.includes('text/plain') && types[0] !== 'text/plain') problems.push('content: text/plain must come first');
  return problems;
}

function sendgridFault(fault: Fault): StandInResponse {
  return {
    status: fault.status,
    headers: fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {},
    body: fault.body ?? { errors: [{ message: fault.status === 429 ? 'too many requests' : 'stand-in fault', field: null }] },
  };
}
