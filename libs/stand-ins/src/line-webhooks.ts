import { createHmac, randomBytes, randomFillSync } from 'node:crypto';
import http from 'node:http';
import type { WebhookChecker } from './webhook-checker.js';

export interface LineStandInChannel {
  /** The access token anpi calls the API with: how the stand-in tells channels apart. */
  accessToken: string;
  secret: string;
  /** anpi's webhook URL for this channel (…/line/webhook/<channel key>). */
  webhookUrl: string;
  /** The bot's own user id, the `destination` of every webhook body. */
  botUserId?: string;
}

export type WebhookEvent = Record<string, unknown> & { type: string; webhookEventId: string };

export interface WebhookDelivery {
  status: number;
  body: string;
  /** The exact bytes sent and their signature, for tests that tamper with either. */
  raw: string;
  signature: string;
}

const ULID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/**
 * Webhook connections to anpi at once. LINE sends from many servers and says nothing of a limit;
 * beyond this the stand-in's own sending would cost more than what it measures.
 */
export const WEBHOOK_CONNECTIONS = 256;

/**
 * The webhook half of LINE: builds events as LINE sends them, checks every body against the
 * official webhook.yml before it leaves (a test sending something LINE never would fails here),
 * signs it with the channel secret and posts it.
 */
export class LineWebhooks {
  readonly channels: LineStandInChannel[] = [];
  /** Bodies the spec refused. A test passes only if this stays empty. */
  readonly violations: { body: unknown; errors: string[] }[] = [];

  /**
   * Kept-alive connections to anpi, at most WEBHOOK_CONNECTIONS at once (further webhooks wait
   * their turn, as at any sender): fetch's pool opened one per request in flight, thousands in a tap
   * flood, and picking a free one among them cost the load generator more than anpi's answers.
   */
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: WEBHOOK_CONNECTIONS });

  constructor(
    private readonly checker: WebhookChecker,
    private readonly replyToken: (userId: string) => string,
  ) {}

  follow(userId: string, isUnblocked = false): WebhookEvent {
    return { ...this.base('follow', userId), replyToken: this.replyToken(userId), follow: { isUnblocked } };
  }

  unfollow(userId: string): WebhookEvent {
    return this.base('unfollow', userId);
  }

  text(userId: string, text: string): WebhookEvent {
    return {
      ...this.base('message', userId),
      replyToken: this.replyToken(userId),
      message: { type: 'text', id: String(Date.now()) + String(Math.floor(Math.random() * 1000)), text, quoteToken: randomBytes(12).toString('base64url') },
    };
  }

  sticker(userId: string): WebhookEvent {
    return {
      ...this.base('message', userId),
      replyToken: this.replyToken(userId),
      message: {
        type: 'sticker',
        id: String(Date.now()),
        packageId: '446',
        stickerId: '1988',
        stickerResourceType: 'STATIC',
        quoteToken: randomBytes(12).toString('base64url'),
      },
    };
  }

  postback(userId: string, data: string): WebhookEvent {
    return { ...this.base('postback', userId), replyToken: this.replyToken(userId), postback: { data } };
  }

  accountLink(userId: string, nonce: string, result: 'ok' | 'failed' = 'ok'): WebhookEvent {
    // LINE sends no reply token when linking failed.
    return { ...this.base('accountLink', userId), ...(result === 'ok' && { replyToken: this.replyToken(userId) }), link: { result, nonce } };
  }

  /** The same event again, as LINE redelivers it after an unanswered webhook. */
  redelivery(event: WebhookEvent): WebhookEvent {
    return { ...event, deliveryContext: { isRedelivery: true } };
  }

  /** Checks, signs and posts one webhook body; `tamper` changes the bytes after signing. */
  async send(
    channel: LineStandInChannel,
    events: WebhookEvent[],
    options: { tamper?: (raw: string) => string; signature?: string | null } = {},
  ): Promise<WebhookDelivery> {
    const body = { destination: channel.botUserId ?? `U${'0'.repeat(32)}`, events };
    const errors = this.checker.check(body);
    if (errors.length) {
      this.violations.push({ body, errors });
      throw new Error(`webhook body not valid against webhook.yml: ${errors.join('; ')}`);
    }
    const signed = JSON.stringify(body);
    const signature = createHmac('sha256', channel.secret).update(signed).digest('base64');
    const raw = options.tamper ? options.tamper(signed) : signed;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'LineBotWebhook/2.0' };
    const sent = options.signature === undefined ? signature : options.signature;
    if (sent !== null) headers['x-line-signature'] = sent;
    const response = await this.post(channel.webhookUrl, headers, raw);
    return { ...response, raw, signature };
  }

  private post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        url,
        { method: 'POST', agent: this.agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  /** Closes the kept-alive connections (a stopped stand-in leaves none open). */
  close(): void {
    this.agent.destroy();
  }

  private base(type: string, userId: string): WebhookEvent {
    return {
      type,
      webhookEventId: ulid(),
      timestamp: Date.now(),
      mode: 'active',
      source: { type: 'user', userId },
      deliveryContext: { isRedelivery: false },
    };
  }
}

function ulid(): string {
  let time = Date.now();
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = ULID_ALPHABET[time % 32] + head;
    time = Math.floor(time / 32);
  }
  return head + Array.from(pooledRandomBytes(16), (b) => ULID_ALPHABET[b % 32]).join('');
}

// Random bytes drawn from a 4 KiB buffer refilled as it runs out: a call to randomBytes per event
// id and reply token was a measurable share of a tap flood's load generator.
const pool = Buffer.alloc(4096);
let used = pool.length;

/** `size` fresh random bytes (a copy), from the pool above. */
export function pooledRandomBytes(size: number): Buffer {
  if (used + size > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += size;
  return Buffer.from(pool.subarray(used - size, used));
}
