import { createConnection } from 'node:net';
import { LineStandIn, SmtpSink, TwilioStandIn } from '#anpi/stand-ins';

export const DEMO_TWILIO = { accountSid: `AC${'de40'.repeat(8)}`, authToken: 'demo-twilio-auth-token-0123', from: '+15005550006' };
export const DEMO_LINE = { channelId: '2000000001', accessToken: 'demo-line-channel-access-token' };

export interface DemoProviders {
  env: Record<string, string>;
  line: LineStandIn;
  twilio: TwilioStandIn;
  smtp: SmtpSink | null;
  mailpit: boolean;
  close(): Promise<void>;
}

/**
 * LINE and Twilio stand-ins (the same ones the tests use, checking every request against the
 * official specs), and email to Mailpit when it runs (docker compose) or to an in-process sink.
 */
export async function startDemoProviders(): Promise<DemoProviders> {
  const [line, twilio] = await Promise.all([LineStandIn.start(), TwilioStandIn.start({ [DEMO_TWILIO.accountSid]: DEMO_TWILIO.authToken })]);
  const mailpit = !process.env.SMTP_URL && (await reachable(1025));
  const smtp = process.env.SMTP_URL || mailpit ? null : await SmtpSink.start();
  return {
    line,
    twilio,
    smtp,
    mailpit,
    env: {
      LINE_API_BASE_URL: line.url,
      LINE_CHANNEL_ID: DEMO_LINE.channelId,
      LINE_CHANNEL_ACCESS_TOKEN: DEMO_LINE.accessToken,
      TWILIO_API_BASE_URL: twilio.url,
      TWILIO_ACCOUNT_SID: DEMO_TWILIO.accountSid,
      TWILIO_AUTH_TOKEN: DEMO_TWILIO.authToken,
      TWILIO_FROM: DEMO_TWILIO.from,
      SMTP_URL: process.env.SMTP_URL ?? (mailpit ? 'smtp://127.0.0.1:1025' : smtp!.url),
    },
    close: async () => {
      await Promise.all([line.close(), twilio.close(), smtp?.close()]);
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
