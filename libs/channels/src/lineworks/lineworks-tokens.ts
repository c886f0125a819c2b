import { createPrivateKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { AppConfig } from '#anpi/config';
import { RedisService } from '#anpi/redis';
import { PermanentDeliveryError, TransientDeliveryError } from '../delivery-errors.js';
import { postForm } from '../http-post.js';
import type { LineWorksApp } from './lineworks-app.js';

/** How long before its expiry a token is replaced: a tenth of its life, at most five minutes. */
const refreshMargin = (lifetimeMs: number) => Math.min(5 * 60_000, lifetimeMs / 10);
/** One process fetches a token while the others wait for it this long at most. */
const FETCH_LOCK_MS = 15_000;

// Deletes the cached token only if it is still the one that was refused (another worker may have replaced it).
const DELETE_IF_SAME = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Access tokens of LINE WORKS apps, one per app (client id) shared by every worker process through
 * Redis: LINE WORKS tokens live a day, and fetching one per job or per process would be slow and
 * would count against the auth server's limits. A token is replaced a while before it expires;
 * a token the API refused (401) is dropped so the next call fetches a new one. Only one process
 * fetches at a time (a Redis lock); the others wait for its token.
 */
@Injectable()
export class LineWorksTokens {
  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisService,
  ) {}

  async get(app: LineWorksApp): Promise<string> {
    const key = this.redis.key('lineworks', 'token', app.clientId);
    const lock = this.redis.key('lineworks', 'token-lock', app.clientId);
    const deadline = Date.now() + FETCH_LOCK_MS;
    for (;;) {
      const cached = await this.redis.get(key);
      if (cached) return cached;
      if (await this.redis.set(lock, '1', 'PX', FETCH_LOCK_MS, 'NX')) {
        try {
          const { token, lifetimeMs } = await this.fetch(app);
          await this.redis.set(key, token, 'PX', Math.max(1_000, Math.round(lifetimeMs - refreshMargin(lifetimeMs))));
          return token;
        } finally {
          await this.redis.del(lock);
        }
      }
      if (Date.now() > deadline) throw new TransientDeliveryError('LINE WORKS: waited too long for another worker to fetch an access token');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** After the API refused `token` (expired or revoked): the next `get` fetches a new one. */
  async invalidate(app: LineWorksApp, token: string): Promise<void> {
    await this.redis.eval(DELETE_IF_SAME, 1, this.redis.key('lineworks', 'token', app.clientId), token);
  }

  /** A Service Account token (RFC 7523): a JWT signed with the app's key, exchanged at the auth server. */
  async fetch(app: LineWorksApp): Promise<{ token: string; lifetimeMs: number }> {
    let key;
    try {
      key = createPrivateKey(app.privateKey);
    } catch {
      throw new PermanentDeliveryError('LINE WORKS: the private key is not a PEM private key');
    }
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer(app.clientId)
      .setSubject(app.serviceAccount)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(key);
    const form = new URLSearchParams({
      assertion,
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      scope: 'bot',
    });
    let response;
    try {
      response = await postForm(this.config.lineworks.authUrl, {}, form, this.config.delivery.providerTimeoutMs);
    } catch (error) {
      throw new TransientDeliveryError(`LINE WORKS auth: ${(error as Error).message}`);
    }
    const body = parseJson(response.text);
    if (response.status === 200 && typeof body.access_token === 'string') {
      // expires_in comes as a string of seconds ("86400").
      const seconds = Number(body.expires_in);
      return { token: body.access_token, lifetimeMs: (Number.isFinite(seconds) && seconds > 0 ? seconds : 3600) * 1000 };
    }
    const reason = `LINE WORKS auth ${response.status}: ${String(body.error_description ?? body.description ?? body.error ?? body.code ?? 'no reason given')}`;
    if (response.status === 400 || response.status === 401 || response.status === 403) throw new PermanentDeliveryError(reason);
    throw new TransientDeliveryError(reason);
  }
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
