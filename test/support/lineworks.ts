import { generateKeyPairSync } from 'node:crypto';
import { LineWorksStandIn, type LineWorksStandInApp } from '#anpi/stand-ins';
import type { DeliveryHarness } from './delivery-harness.js';
import { bearer } from './factories.js';

export interface TestLineWorksApp extends LineWorksStandInApp {
  privateKey: string;
}

/** A LINE WORKS app and bot of a tenant's own: registered with the stand-in and saved in the tenant's channel settings. */
export async function setUpLineWorks(h: DeliveryHarness, adminToken: string, n: number, extra: { ratePerMinute?: number } = {}): Promise<TestLineWorksApp> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const app: TestLineWorksApp = {
    clientId: `client-${n}-${Math.random().toString(36).slice(2, 8)}`,
    clientSecret: `secret-${n}-0123456789`,
    serviceAccount: `app${n}.serviceaccount@works-${n}.test`,
    publicKey,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    botId: String(2_000_000 + n * 10 + Math.floor(Math.random() * 10)),
    botSecret: `bot-secret-${n}-abcdef`,
    domainId: String(10_000_000 + n),
  };
  h.lineworks.addApp(app);
  const res = await h.api
    .http()
    .put('/v1/settings/channels')
    .set(bearer(adminToken))
    .send({
      lineworks: {
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        serviceAccount: app.serviceAccount,
        privateKey: app.privateKey,
        botId: app.botId,
        botSecret: app.botSecret,
        domainId: app.domainId,
        ...(extra.ratePerMinute !== undefined && { ratePerMinute: extra.ratePerMinute }),
      },
    });
  if (res.status !== 200) throw new Error(`LINE WORKS settings refused: ${res.status} ${JSON.stringify(res.body)}`);
  return app;
}

/** Posts a callback event to anpi as LINE WORKS would: signed with the bot secret over the exact bytes. */
export function postCallback(h: DeliveryHarness, app: Pick<TestLineWorksApp, 'botId' | 'botSecret'>, event: Record<string, unknown>, raw?: string) {
  const { body, signature } = LineWorksStandIn.signCallback(app.botSecret, raw ?? JSON.stringify(event));
  return h.api
    .http()
    .post(`/lineworks/callback/${app.botId}`)
    .set('Content-Type', 'application/json; charset=UTF-8')
    .set('X-WORKS-BotId', app.botId)
    .set('X-WORKS-Signature', signature)
    .send(body);
}

/** The 無事です tap on a message: a message event carrying the action's postback. */
export function safeTap(userId: string, postback: string, issuedTime = new Date().toISOString()): Record<string, unknown> {
  return {
    type: 'message',
    source: { userId, domainId: 10000001 },
    issuedTime,
    content: { type: 'text', text: '無事です', postback },
  };
}
