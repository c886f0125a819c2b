import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { Faults, type Fault } from './faults.js';

export interface ReceivedEmail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string | null;
  attachments: { cid: string | null; contentType: string; size: number }[];
  at: Date;
}

/** A real SMTP server in-process (smtp-server), parsing what it receives with mailparser. */
export class SmtpSink {
  readonly received: ReceivedEmail[] = [];
  readonly faults = new Faults();
  /** Added before each message is acknowledged: a slow server. */
  latencyMs = 0;
  private server!: SMTPServer;
  port = 0;

  /** Messages accepted, parsed or not. */
  count = 0;

  /**
   * `parse: false` keeps only the envelope (the benchmark: parsing 100,000 emails would measure
   * mailparser); who received what is still counted, so repeats show.
   */
  static async start(port = 0, options: { parse?: boolean } = {}): Promise<SmtpSink> {
    const sink = new SmtpSink();
    const parse = options.parse ?? true;
    sink.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const fault = sink.faults.take();
        if (!parse) {
          stream.resume();
          stream.on('end', () => {
            sink.count++;
            sink.received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: '',
              text: '',
              html: '',
              attachments: [],
              messageId: null,
              at: new Date(),
            });
            callback();
          });
          return;
        }
        void simpleParser(stream)
          .then(async (mail) => {
            if (sink.latencyMs) await new Promise((resolve) => setTimeout(resolve, sink.latencyMs));
            if (fault && fault.when === 'before') {
              const error = new Error(fault.status >= 500 ? 'Mailbox unavailable' : 'Try again later') as Error & { responseCode: number };
              error.responseCode = fault.status;
              return callback(error);
            }
            sink.count++;
            sink.received.push({
              from: mail.from?.value[0]?.address ?? '',
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              attachments: mail.attachments.map((a) => ({ cid: a.cid ?? null, contentType: a.contentType, size: a.size })),
              messageId: mail.messageId ?? null,
              at: new Date(),
            });
            callback();
          })
          .catch(callback);
      },
    });
    // A client killed mid-conversation (the crash tests) resets its connection: not our failure.
    sink.server.on('error', () => undefined);
    await new Promise<void>((resolve) => sink.server.listen(port, '127.0.0.1', resolve));
    sink.port = (sink.server.server.address() as AddressInfo).port;
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  fail(fault: Fault): void {
    this.faults.add(fault);
  }

  to(address: string): ReceivedEmail[] {
    return this.received.filter((m) => m.to.includes(address));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
