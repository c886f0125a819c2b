import { randomUUID } from 'node:crypto';
import type { Fault } from './faults.js';
import { HttpStandIn, type StandInRequest, type StandInResponse } from './http-stand-in.js';
import { OpenApiChecker } from './openapi-checker.js';

export interface AcceptedMulticast {
  requestId: string;
  retryKey: string | null;
  accessToken: string;
  to: string[];
  messages: Record<string, unknown>[];
  at: Date;
}

/**
 * LINE's Messaging API on localhost. Every request is checked against LINE's official OpenAPI
 * document; multicasts are recorded; LINE's retry-key rule holds: a request whose X-Line-Retry-Key
 * was already accepted answers 409 (with x-line-accepted-request-id) and delivers nothing.
 */
export class LineStandIn extends HttpStandIn {
  readonly multicasts: AcceptedMulticast[] = [];
  /** Every request seen, valid or not, for tests that count attempts. */
  readonly requests: { path: string; retryKey: string | null; status: number; at: number }[] = [];
  private readonly acceptedKeys = new Map<string, string>();

  private constructor(private readonly checker: OpenApiChecker) {
    super();
  }

  static async start(port = 0): Promise<LineStandIn> {
    return new LineStandIn(await OpenApiChecker.load('line/messaging-api.yml')).listen(port);
  }

  /** How many messages each user received (a user listed in two accepted multicasts counts twice). */
  deliveriesTo(userId: string): number {
    return this.multicasts.filter((m) => m.to.includes(userId)).length;
  }

  protected async handle(request: StandInRequest, fault: Fault | null): Promise<StandInResponse> {
    const retryKey = request.headers['x-line-retry-key'] ?? null;
    const answer = (response: StandInResponse) => {
      this.requests.push({ path: request.path, retryKey, status: response.status, at: Date.now() });
      return response;
    };
    let body: unknown;
    try {
      body = request.raw ? JSON.parse(request.raw) : undefined;
    } catch {
      return answer({ status: 400, body: { message: 'The request body has 1 error(s)', details: [{ message: 'invalid JSON' }] } });
    }
    const violation = this.checker.check({ method: request.method, path: request.path, headers: request.headers, query: request.query, body });
    if (violation) {
      this.violations.push({ ...violation, path: request.path });
      return answer({ status: 400, body: { message: 'The request body has errors', details: violation.errors.map((message) => ({ message })) } });
    }
    if (!/^Bearer \S+/.test(request.headers.authorization ?? '')) {
      return answer({ status: 401, body: { message: 'Authentication failed due to the following reason: no token.' } });
    }
    if (fault && fault.when === 'before') return answer(faultResponse(fault));
    if (retryKey && this.acceptedKeys.has(retryKey)) {
      return answer({
        status: 409,
        headers: { 'x-line-request-id': randomUUID(), 'x-line-accepted-request-id': this.acceptedKeys.get(retryKey)! },
        body: { message: 'The retry key is already accepted' },
      });
    }
    const requestId = randomUUID();
    if (request.path === '/v2/bot/message/multicast') {
      const { to, messages } = body as { to: string[]; messages: Record<string, unknown>[] };
      this.multicasts.push({ requestId, retryKey, accessToken: request.headers.authorization!.slice(7), to, messages, at: new Date() });
    }
    if (retryKey) this.acceptedKeys.set(retryKey, requestId);
    // 'after': delivered, but the sender never hears so (a lost response).
    if (fault && fault.when === 'after') return answer(faultResponse(fault));
    return answer({ status: 200, headers: { 'x-line-request-id': requestId }, body: {} });
  }
}

function faultResponse(fault: Fault): StandInResponse {
  return {
    status: fault.status,
    headers: { 'x-line-request-id': randomUUID(), ...(fault.retryAfter !== undefined && { 'retry-after': String(fault.retryAfter) }) },
    body: fault.body ?? { message: fault.status === 429 ? 'The API rate limit has been exceeded. Try again later.' : fault.status >= 500 ? 'Internal Server Error' : 'The request body has 1 error(s)' },
  };
}
