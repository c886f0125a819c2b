import { generateKeyPairSync } from 'node:crypto';
import { createConnection } from 'node:net';
import { LineStandIn, LineWorksStandIn, SmtpSink, TwilioStandIn, type LineStandInChannel } from '#anpi/stand-ins';

export const DEMO_TWILIO = { accountSid: `AC${'de40'.repeat(8)}`, authToken: 'demo-twilio-auth-token-0123', from: '+15005550006' };
export const DEMO_LINE = { channelId: '2000000001', accessToken: 'demo-line-channel-access-token', secret: 'demo-line-channel-secret', basicId: '@anpi-demo' };

// The demo company's own LINE WORKS app and bot (a key pair made for each run).
const lineworksKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const DEMO_LINEWORKS = {
  clientId: 'demoClient01',
  clientSecret: 'demo-lineworks-client-secret',
  serviceAccount: 'demo.serviceaccount@anpi-demo.example',
  privateKey: lineworksKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  botId: '9000001',
  botSecret: 'demo-lineworks-bot-secret',
  domainId: '90000001',
};

export interface DemoProviders {
  env: Record<string, string>;
  line: LineStandIn;
  twilio: TwilioStandIn;
  lineworks: LineWorksStandIn;
  smtp: SmtpSink | null;
  mailpit: boolean;
  close(): Promise<void>;
}

/**
 * LINE and Twilio stand-ins (the same ones the tests use, checking every request against the
 * official specs), and email to Mailpit when it runs (docker compose) or to an in-process sink.
 */
export async function startDemoProviders(): Promise<DemoProviders> {
  const [line, twilio, lineworks] = await Promise.all([
    LineStandIn.start(),
    TwilioStandIn.start({ [DEMO_TWILIO.accountSid]: DEMO_TWILIO.authToken }),
    LineWorksStandIn.start(),
  ]);
  lineworks.addApp({ ...DEMO_LINEWORKS, publicKey: lineworksKeys.publicKey });
  const mailpit = !process.env.SMTP_URL && (await reachable(1025));
  const smtp = process.env.SMTP_URL || mailpit ? null : await SmtpSink.start();
  return {
    line,
    twilio,
    lineworks,
    smtp,
    mailpit,
    env: {
      LINE_API_BASE_URL: line.url,
      LINE_CHANNEL_ID: DEMO_LINE.channelId,
      LINE_CHANNEL_ACCESS_TOKEN: DEMO_LINE.accessToken,
      LINE_CHANNEL_SECRET: DEMO_LINE.secret,
      LINE_BASIC_ID: DEMO_LINE.basicId,
      LINE_ACCOUNT_LINK_URL: line.accountLinkUrl,
      TWILIO_API_BASE_URL: twilio.url,
      TWILIO_ACCOUNT_SID: DEMO_TWILIO.accountSid,
      TWILIO_AUTH_TOKEN: DEMO_TWILIO.authToken,
      TWILIO_FROM: DEMO_TWILIO.from,
      LINEWORKS_API_BASE_URL: lineworks.apiBaseUrl,
      LINEWORKS_AUTH_URL: lineworks.authUrl,
      SMTP_URL: process.env.SMTP_URL ?? (mailpit ? 'smtp://127.0.0.1:1025' : smtp!.url),
    },
    close: async () => {
      await Promise.all([line.close(), twilio.close(), lineworks.close(), smtp?.close()]);
    },
  };
}

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port, timeout: 500 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/** The shared official account as the LINE stand-in sends its webhooks (signed) to the api. */
export function demoLineChannel(providers: DemoProviders, api: string): LineStandInChannel {
  return providers.line.addChannel({ accessToken: DEMO_LINE.accessToken, secret: DEMO_LINE.secret, webhookUrl: `${api}/line/webhook/platform` });
}

/**
 * A LINE user follows the shared account (the stand-in sends the signed webhook to the api), and
 * the link page URL from the 「連携する」 button it gets back, for a person to open and link with
 * an employee code (the one-time code arrives by email).
 */
export async function demoLineFollow(providers: DemoProviders, channel: LineStandInChannel): Promise<string | null> {
  const user = `U${'de40'.repeat(8)}`;
  await providers.line.webhooks.send(channel, [providers.line.webhooks.follow(user)]);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const link = providers.line
      .textsTo(user)
      .map((t) => /"uri":"([^"]+\/l\/[^"]+)"/.exec(t)?.[1])
      .find(Boolean);
    if (link) return link.replaceAll('\\u0026', '&');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}
