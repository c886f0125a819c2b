import { randomBytes } from 'node:crypto';
import type { Fault } from './faults.js';
import { HttpStandIn, type StandInRequest, type StandInResponse } from './http-stand-in.js';
import { OpenApiChecker } from './openapi-checker.js';

export interface AcceptedSms {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  at: Date;
}

/**
 * Twilio's REST API (2010-04-01) on localhost, checking each request against Twilio's official
 * OpenAPI document, plus the two rules the spec states only in prose: From or MessagingServiceSid,
 * and a Body. Basic auth must match the account in the path.
 */
export class TwilioStandIn extends HttpStandIn {
  readonly messages: AcceptedSms[] = [];
  readonly requests: { to: string | null; status: number; at: number }[] = [];

  private constructor(
    private readonly checker: OpenApiChecker,
    private readonly credentials: Map<string, string>,
  ) {
    super();
  }

  /** `accounts`: account SID → auth token that this stand-in accepts. */
  static async start(accounts: Record<string, string>, port = 0): Promise<TwilioStandIn> {
    return new TwilioStandIn(await OpenApiChecker.load('twilio/twilio_api_v2010.json'), new Map(Object.entries(accounts))).listen(port);
  }

  protected async handle(request: StandInRequest, fault: Fault | null): Promise<StandInResponse> {
    const form = Object.fromEntries(new URLSearchParams(request.raw));
    const answer = (response: StandInResponse) => {
      this.requests.push({ to: form.To ?? null, status: response.status, at: Date.now() });
      return response;
    };
    const violation = this.checker.check({ method: request.method, path: request.path, headers: request.headers, query: request.query, body: form });
    const prose = [
      ...(form.From || form.MessagingServiceSid ? [] : ['From or MessagingServiceSid is required']),
      ...(form.Body || form.MediaUrl || form.ContentSid ? [] : ['Body, MediaUrl or ContentSid is required']),
    ];
    if (violation || prose.length) {
      this.violations.push({ operation: violation?.operation ?? 'CreateMessage', errors: [...(violation?.errors ?? []), ...prose], path: request.path });
      return answer({ status: 400, body: { code: 21602, message: [...(violation?.errors ?? []), ...prose].join('; '), status: 400 } });
    }
    const accountSid = /\/Accounts\/([^/]+)\//.exec(request.path)?.[1] ?? '';
    const [user, password] = Buffer.from((request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
      .toString()
      .split(':');
    if (user !== accountSid || this.credentials.get(accountSid) !== password) {
      return answer({ status: 401, body: { code: 20003, message: 'Authenticate', status: 401 } });
    }
    if (fault && fault.when === 'before') return answer(twilioFault(fault));
    const sid = `SM${randomBytes(16).toString('hex')}`;
    this.messages.push({
      sid,
      accountSid,
      to: form.To!,
      from: form.From ?? null,
      messagingServiceSid: form.MessagingServiceSid ?? null,
      body: form.Body ?? '',
      at: new Date(),
    });
    if (fault && fault.when === 'after') return answer(twilioFault(fault));
    return answer({
      status: 201,
      body: {
        sid,
        account_sid: accountSid,
        to: form.To,
        from: form.From ?? null,
        body: form.Body,
        status: 'queued',
        num_segments: '1',
        api_version: '2010-04-01',
      },
    });
  }
}

function twilioFault(fault: Fault): StandInResponse {
  return {
    status: fault.status,
    headers: fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {},
    body: fault.body ?? {
      code: fault.status === 429 ? 20429 : fault.status >= 500 ? 20500 : 21211,
      message: fault.status === 400 ? "The 'To' number is not a valid phone number." : 'stand-in fault',
      status: fault.status,
    },
  };
}
