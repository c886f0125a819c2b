import { randomBytes, randomUUID } from 'node:crypto';
import type { Fault } from './faults.js';
import { HttpStandIn, type StandInRequest, type StandInResponse } from './http-stand-in.js';
import { LineWebhooks, pooledRandomBytes, type LineStandInChannel } from './line-webhooks.js';
import { OpenApiChecker } from './openapi-checker.js';
import { WebhookChecker } from './webhook-checker.js';

export interface AcceptedMulticast {
  requestId: string;
  retryKey: string | null;
  accessToken: string;
  to: string[];
  messages: Record<string, unknown>[];
  at: Date;
}

export interface SentMessage {
  kind: 'reply' | 'push';
  to: string;
  accessToken: string;
  messages: Record<string, unknown>[];
  at: Date;
}

const LINK_TOKEN_TTL_MS = 10 * 60_000;

/**
 * LINE's Messaging API on localhost. Every request is checked against LINE's official OpenAPI
 * document; multicasts are recorded; LINE's retry-key rule holds: a request whose X-Line-Retry-Key
 * was already accepted answers 409 (with x-line-accepted-request-id) and delivers nothing.
 */
export class LineStandIn extends HttpStandIn {
  readonly multicasts: AcceptedMulticast[] = [];
  /** Replies and pushes, in order. */
  readonly sent: SentMessage[] = [];
  /** LINE users the profile endpoint knows (user id → display name). */
  readonly users = new Map<string, string>();
  /** What the account-link dialog reports to the webhook: LINE says "failed" when the user cancels. */
  accountLinkResult: 'ok' | 'failed' = 'ok';
  readonly webhooks: LineWebhooks;
  private readonly replyTokens = new Map<string, { userId: string; used: boolean; issuedAt: number }>();
  /**
   * How long a reply token works: LINE's reference says to use it within one minute of the
   * webhook ("1分を超える場合の使用については、動作は保証されません"); later it is refused as invalid.
   */
  replyTokenTtlMs = 60_000;
  private readonly linkTokens = new Map<string, { userId: string; accessToken: string; issuedAt: number; used: boolean }>();
  /** Every request seen, valid or not, for tests that count attempts. */
  readonly requests: { path: string; retryKey: string | null; status: number; at: number }[] = [];
  private readonly acceptedKeys = new Map<string, string>();
  private readonly consumptionAdjustments = new Map<string, number>();

  private constructor(
    private readonly checker: OpenApiChecker,
    webhookChecker: WebhookChecker,
  ) {
    super();
    this.webhooks = new LineWebhooks(webhookChecker, (userId) => this.replyToken(userId));
  }

  static async start(port = 0): Promise<LineStandIn> {
    const [checker, webhookChecker] = await Promise.all([OpenApiChecker.load('line/messaging-api.yml'), WebhookChecker.load()]);
    return new LineStandIn(checker, webhookChecker).listen(port);
  }

  /** A channel whose webhooks this stand-in sends (signed with its secret) to `webhookUrl`. */
  addChannel(channel: LineStandInChannel): LineStandInChannel {
    this.webhooks.channels.push(channel);
    return channel;
  }

  override async close(): Promise<void> {
    this.webhooks.close();
    await super.close();
  }

  /** Where LINE_ACCOUNT_LINK_URL points: LINE's account-link dialog, which reports to the webhook. */
  get accountLinkUrl(): string {
    return `${this.url}/dialog/bot/accountLink`;
  }

  /** Replies and pushes that went to one user, oldest first. */
  sentTo(userId: string): SentMessage[] {
    return this.sent.filter((m) => m.to === userId);
  }

  /** Every text of the messages (text bodies, flex alt texts, button URIs) sent to one user. */
  textsTo(userId: string): string[] {
    return this.sentTo(userId).map((m) => JSON.stringify(m.messages));
  }

  private replyToken(userId: string): string {
    const token = pooledRandomBytes(16).toString('hex');
    this.replyTokens.set(token, { userId, used: false, issuedAt: Date.now() });
    return token;
  }

  /**
   * LINE's monthly figure for a channel (GET /v2/bot/message/quota/consumption): one per recipient
   * of each accepted multicast or push, replies free, as LINE bills. `adjustConsumption` adds
   * messages sent some other way (LINE Official Account Manager, another system on the channel).
   */
  consumption(accessToken: string): number {
    const multicast = this.multicasts.filter((m) => m.accessToken === accessToken).reduce((n, m) => n + m.to.length, 0);
    const pushed = this.sent.filter((m) => m.kind === 'push' && m.accessToken === accessToken).length;
    return multicast + pushed + (this.consumptionAdjustments.get(accessToken) ?? 0);
  }

  adjustConsumption(accessToken: string, messages: number): void {
    this.consumptionAdjustments.set(accessToken, (this.consumptionAdjustments.get(accessToken) ?? 0) + messages);
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
    if (request.path === '/dialog/bot/accountLink') return answer(await this.accountLinkDialog(request.query));
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
    const accessToken = request.headers.authorization!.slice(7);
    if (request.path === '/v2/bot/message/multicast') {
      const { to, messages } = body as { to: string[]; messages: Record<string, unknown>[] };
      this.multicasts.push({ requestId, retryKey, accessToken, to, messages, at: new Date() });
    }
    if (request.path === '/v2/bot/message/push') {
      const { to, messages } = body as { to: string; messages: Record<string, unknown>[] };
      this.sent.push({ kind: 'push', to, accessToken, messages, at: new Date() });
    }
    if (request.path === '/v2/bot/message/reply') {
      const { replyToken, messages } = body as { replyToken: string; messages: Record<string, unknown>[] };
      const issued = this.replyTokens.get(replyToken);
      if (!issued || issued.used || Date.now() - issued.issuedAt > this.replyTokenTtlMs)
        return answer({ status: 400, headers: { 'x-line-request-id': requestId }, body: { message: 'Invalid reply token' } });
      issued.used = true;
      this.sent.push({ kind: 'reply', to: issued.userId, accessToken, messages, at: new Date() });
    }
    const linkToken = /^\/v2\/bot\/user\/([^/]+)\/linkToken$/.exec(request.path);
    if (linkToken) {
      const token = randomBytes(24).toString('base64url');
      this.linkTokens.set(token, { userId: decodeURIComponent(linkToken[1]!), accessToken, issuedAt: Date.now(), used: false });
      return answer({ status: 200, headers: { 'x-line-request-id': requestId }, body: { linkToken: token } });
    }
    if (request.path === '/v2/bot/message/quota/consumption') {
      return answer({ status: 200, headers: { 'x-line-request-id': requestId }, body: { totalUsage: this.consumption(accessToken) } });
    }
    const profile = /^\/v2\/bot\/profile\/([^/]+)$/.exec(request.path);
    if (profile) {
      const userId = decodeURIComponent(profile[1]!);
      const displayName = this.users.get(userId);
      if (displayName === undefined) return answer({ status: 404, headers: { 'x-line-request-id': requestId }, body: { message: 'Not found' } });
      return answer({ status: 200, headers: { 'x-line-request-id': requestId }, body: { userId, displayName } });
    }
    if (retryKey) this.acceptedKeys.set(retryKey, requestId);
    // 'after': delivered, but the sender never hears so (a lost response).
    if (fault && fault.when === 'after') return answer(faultResponse(fault));
    return answer({ status: 200, headers: { 'x-line-request-id': requestId }, body: {} });
  }

  /**
   * LINE's account-link dialog as the employee's browser reaches it: an unknown, used or expired
   * link token is refused here; otherwise LINE sends the channel's webhook an accountLink event
   * carrying the nonce (and `failed` when the user cancels, without a reply token).
   */
  private async accountLinkDialog(query: Record<string, string>): Promise<StandInResponse> {
    const issued = query.linkToken ? this.linkTokens.get(query.linkToken) : undefined;
    if (!issued || issued.used || Date.now() - issued.issuedAt > LINK_TOKEN_TTL_MS || !query.nonce) {
      return { status: 400, body: { error: 'invalid_link_token' } };
    }
    issued.used = true;
    const channel = this.webhooks.channels.find((c) => c.accessToken === issued.accessToken);
    if (!channel) return { status: 400, body: { error: 'no webhook for this channel' } };
    const delivered = await this.webhooks.send(channel, [this.webhooks.accountLink(issued.userId, query.nonce, this.accountLinkResult)]);
    return { status: 200, body: { result: this.accountLinkResult, webhookStatus: delivered.status } };
  }
}

function faultResponse(fault: Fault): StandInResponse {
  return {
    status: fault.status,
    headers: { 'x-line-request-id': randomUUID(), ...(fault.retryAfter !== undefined && { 'retry-after': String(fault.retryAfter) }) },
    body: fault.body ?? {
      message:
        fault.status === 429
          ? 'The API rate limit has been exceeded. Try again later.'
          : fault.status >= 500
            ? 'Internal Server Error'
            : 'The request body has 1 error(s)',
    },
  };
}
