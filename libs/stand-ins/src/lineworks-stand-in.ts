import { createHmac, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { decodeJwt, jwtVerify } from 'jose';
import type { Fault } from './faults.js';
import { HttpStandIn, type StandInRequest, type StandInResponse } from './http-stand-in.js';

/** One LINE WORKS app (client) and its bot, as the Developer Console would have set them up. */
export interface LineWorksStandInApp {
  clientId: string;
  clientSecret: string;
  serviceAccount: string;
  /** The public half of the app's key (LINE WORKS keeps it; the app signs with the private half). */
  publicKey: string | KeyObject;
  botId: string;
  botSecret: string;
  domainId: string;
}

export interface AcceptedWorksMessage {
  botId: string;
  userId: string;
  content: Record<string, unknown>;
  at: number;
}

const LIMITS = { text: 2000, contentText: 1000, label: 20, uri: 1000, postback: 300, messageText: 300, actions: 10 };
const WINDOW_MS = 60_000;

/**
 * LINE WORKS API 2.0 on localhost: the auth server's token endpoint and the bot message API.
 * LINE WORKS publishes no OpenAPI document, so the documented rules are encoded here by hand
 * (docs/lineworks.md lists the pages): Service Account JWTs (RS256, iss = client id, sub =
 * service account, at most an hour between iat and exp) checked with the app's public key;
 * message bodies (content types, required fields, types, length limits, which actions a button
 * template takes); the rate limit per app (240 requests a minute by default) with rateLimit-*
 * headers and 429 TOO_MANY_REQUESTS; tokens that expire or are revoked (401).
 */
export class LineWorksStandIn extends HttpStandIn {
  readonly messages: AcceptedWorksMessage[] = [];
  /** Every answer to a message request, in order. */
  readonly responses: { userId: string; status: number; at: number }[] = [];
  tokenRequests = 0;
  /** Requests per minute per app (LINE WORKS: 240 on paid plans, 60 on the free plan). */
  rateLimit = 240;
  /** Lifetime of issued tokens in seconds (LINE WORKS: a day). */
  tokenTtlSeconds = 86_400;
  /** Users that do not exist in the domain (404). */
  readonly unknownUsers = new Set<string>();
  private readonly apps = new Map<string, LineWorksStandInApp & { key: KeyObject }>();
  private readonly tokens = new Map<string, { clientId: string; issuedAt: number; expiresAt: number }>();
  private readonly windows = new Map<string, { start: number; used: number }>();

  static async start(port = 0): Promise<LineWorksStandIn> {
    return new LineWorksStandIn().listen(port);
  }

  get apiBaseUrl(): string {
    return `${this.url}/v1.0`;
  }

  get authUrl(): string {
    return `${this.url}/oauth2/v2.0/token`;
  }

  addApp(app: LineWorksStandInApp): void {
    this.apps.set(app.clientId, { ...app, key: typeof app.publicKey === 'string' ? createPublicKey(app.publicKey) : app.publicKey });
  }

  /** When a token was issued and when it stops working (ms since the epoch), for tests of refreshing. */
  tokenTimes(token: string): { issuedAt: number; expiresAt: number } | undefined {
    const t = this.tokens.get(token);
    return t && { issuedAt: t.issuedAt, expiresAt: t.expiresAt };
  }

  /** Every token issued so far stops working (401), as when tokens expire or are revoked. */
  revokeTokens(): void {
    for (const token of this.tokens.values()) token.expiresAt = 0;
  }

  /** A callback as LINE WORKS sends it: the body and its X-WORKS-Signature. */
  static signCallback(botSecret: string, body: string): { body: string; signature: string } {
    return { body, signature: createHmac('sha256', botSecret).update(body).digest('base64') };
  }

  sentTo(userId: string): AcceptedWorksMessage[] {
    return this.messages.filter((m) => m.userId === userId);
  }

  protected async handle(request: StandInRequest, fault: Fault | null): Promise<StandInResponse> {
    if (request.method === 'post' && request.path === '/oauth2/v2.0/token') return this.token(request);
    const send = /^\/v1\.0\/bots\/([^/]+)\/users\/([^/]+)\/messages$/.exec(request.path);
    if (request.method === 'post' && send) {
      const userId = decodeURIComponent(send[2]!);
      const response = this.message(request, decodeURIComponent(send[1]!), userId, fault);
      this.responses.push({ userId, status: response.status, at: Date.now() });
      return response;
    }
    return { status: 404, body: { code: 'NOT_FOUND', description: `no such operation: ${request.method.toUpperCase()} ${request.path}` } };
  }

  private async token(request: StandInRequest): Promise<StandInResponse> {
    this.tokenRequests++;
    const form = Object.fromEntries(new URLSearchParams(request.raw));
    const refuse = (status: number, error: string, description: string): StandInResponse => {
      this.violations.push({ operation: 'token', errors: [description], path: request.path });
      return { status, body: { error, error_description: description } };
    };
    if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
      return refuse(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
    if (form.grant_type !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return refuse(400, 'unsupported_grant_type', 'grant_type must be jwt-bearer');
    const app = this.apps.get(form.client_id ?? '');
    if (!app || app.clientSecret !== form.client_secret)
      return { status: 401, body: { error: 'invalid_client', error_description: 'unknown client or wrong secret' } };
    if (!(form.scope ?? '').split(/[ ,]/).includes('bot')) return refuse(400, 'invalid_scope', 'scope must include bot');
    try {
      const claims = decodeJwt(form.assertion ?? '');
      if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') throw new Error('iat and exp must be numbers (seconds)');
      if (claims.exp - claims.iat > 3600) throw new Error('exp must be at most 60 minutes after iat');
      await jwtVerify(form.assertion!, app.key, { algorithms: ['RS256'], issuer: app.clientId, subject: app.serviceAccount });
    } catch (error) {
      // A wrong key or claim is the caller's mistake, not a spec violation of the stand-in's own making.
      return { status: 400, body: { error: 'invalid_grant', error_description: `assertion refused: ${(error as Error).message}` } };
    }
    const token = `lw-${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { clientId: app.clientId, issuedAt: Date.now(), expiresAt: Date.now() + this.tokenTtlSeconds * 1000 });
    return {
      status: 200,
      body: {
        access_token: token,
        refresh_token: `lwr-${randomBytes(24).toString('base64url')}`,
        scope: 'bot',
        token_type: 'Bearer',
        expires_in: String(this.tokenTtlSeconds),
      },
    };
  }

  private message(request: StandInRequest, botId: string, userId: string, fault: Fault | null): StandInResponse {
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const token = bearer ? this.tokens.get(bearer) : undefined;
    const app = token ? this.apps.get(token.clientId) : undefined;
    if (!token || !app || token.expiresAt <= Date.now()) return { status: 401, body: { code: 'UNAUTHORIZED', description: 'Authentication failed' } };
    if (app.botId !== botId) return { status: 403, body: { code: 'FORBIDDEN', description: 'the bot is not this app' } };
    const rate = this.take(app.clientId);
    if (rate.over) return { status: 429, headers: rate.headers, body: { code: 'TOO_MANY_REQUESTS', description: 'API rate limit exceeded' } };
    let body: unknown;
    try {
      body = JSON.parse(request.raw);
    } catch {
      body = undefined;
    }
    const errors = checkMessage(request.headers['content-type'], body);
    if (errors.length) {
      this.violations.push({ operation: 'sendMessageToUser', errors, path: request.path });
      return { status: 400, headers: rate.headers, body: { code: 'INVALID_PARAMETER', description: errors.join('; ') } };
    }
    if (fault && fault.when === 'before') return worksFault(fault, rate.headers);
    if (this.unknownUsers.has(userId)) return { status: 404, headers: rate.headers, body: { code: 'NOT_FOUND', description: 'user not found' } };
    this.messages.push({ botId, userId, content: (body as { content: Record<string, unknown> }).content, at: Date.now() });
    if (fault && fault.when === 'after') return worksFault(fault, rate.headers);
    return { status: 201, headers: rate.headers };
  }

  /** Fixed windows of a minute per app, from the window's first request (rateLimit-reset counts down to its end). */
  private take(clientId: string): { over: boolean; headers: Record<string, string> } {
    const now = Date.now();
    let window = this.windows.get(clientId);
    if (!window || now - window.start >= WINDOW_MS) this.windows.set(clientId, (window = { start: now, used: 0 }));
    const over = window.used >= this.rateLimit;
    if (!over) window.used++;
    const headers = {
      'rateLimit-limit': String(this.rateLimit),
      'rateLimit-used': String(window.used),
      'rateLimit-remaining': String(Math.max(0, this.rateLimit - window.used)),
      'rateLimit-reset': String(Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000))),
    };
    return { over, headers };
  }
}

function worksFault(fault: Fault, headers: Record<string, string>): StandInResponse {
  const code = fault.status === 429 ? 'TOO_MANY_REQUESTS' : fault.status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'FAULT';
  return {
    status: fault.status,
    headers: {
      ...headers,
      ...(fault.status === 429 && fault.retryAfter !== undefined && { 'rateLimit-remaining': '0', 'rateLimit-reset': String(fault.retryAfter) }),
    },
    body: fault.body ?? { code, description: 'stand-in fault' },
  };
}

/** The documented shape of a message request (Bot API: send a message to a user; content types and action objects). */
export function checkMessage(contentType: string | undefined, body: unknown): string[] {
  const errors: string[] = [];
  if (!(contentType ?? '').startsWith('application/json')) errors.push('Content-Type must be application/json');
  const content = (body as { content?: Record<string, unknown> } | undefined)?.content;
  if (typeof content !== 'object' || content === null) return [...errors, 'content is required (an object)'];
  const text = (field: string, value: unknown, max: number, required = true) => {
    if (value === undefined && !required) return;
    if (typeof value !== 'string' || value.length === 0) errors.push(`${field} is required (a non-empty string)`);
    else if ([...value].length > max) errors.push(`${field} is longer than ${max} characters`);
  };
  switch (content.type) {
    case 'text':
      text('content.text', content.text, LIMITS.text);
      break;
    case 'button_template': {
      text('content.contentText', content.contentText, LIMITS.contentText);
      const actions = content.actions;
      if (!Array.isArray(actions) || actions.length === 0) errors.push('content.actions is required (1 to 10 actions)');
      else if (actions.length > LIMITS.actions) errors.push(`content.actions takes at most ${LIMITS.actions} buttons`);
      else actions.forEach((a: unknown, i: number) => errors.push(...checkAction(`content.actions[${i}]`, a)));
      break;
    }
    default:
      errors.push(`content.type ${JSON.stringify(content.type)} is not one anpi's stand-in knows (text, button_template)`);
  }
  return errors;
}

function checkAction(at: string, action: unknown): string[] {
  const a = action as Record<string, unknown>;
  const errors: string[] = [];
  const text = (field: string, max: number, required: boolean) => {
    const value = a[field];
    if (value === undefined && !required) return;
    if (typeof value !== 'string' || value.length === 0) errors.push(`${at}.${field} is required (a non-empty string)`);
    else if ([...value].length > max) errors.push(`${at}.${field} is longer than ${max} characters`);
  };
  if (a.type === 'uri') {
    text('label', LIMITS.label, true);
    text('uri', LIMITS.uri, true);
    if (typeof a.uri === 'string' && !/^https?:\/\//.test(a.uri)) errors.push(`${at}.uri must be an http(s) URL`);
  } else if (a.type === 'message') {
    text('label', LIMITS.label, true);
    text('text', LIMITS.messageText, false);
    text('postback', LIMITS.postback, false);
  } else if (a.type === 'postback') {
    errors.push(`${at}: a postback action cannot be used in a button template (use a message action with postback)`);
  } else {
    errors.push(`${at}.type must be uri or message`);
  }
  return errors;
}
