import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults, type Fault } from './faults.js';
import type { Violation } from './openapi-checker.js';

export interface StandInRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  raw: string;
}

export interface StandInResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A local HTTP server standing in for a provider: faults, violations, and a `handle` per request. */
export abstract class HttpStandIn {
  readonly faults = new Faults();
  /** Requests the official spec would refuse. A test passes only if this stays empty. */
  readonly violations: (Violation & { path: string })[] = [];
  /** Added to every answer: a slow provider. */
  latencyMs = 0;
  private server: Server | null = null;
  private sockets = new Set<import('node:net').Socket>();
  url = '';

  protected abstract handle(request: StandInRequest, fault: Fault | null): Promise<StandInResponse>;

  async listen(port = 0, host = '127.0.0.1'): Promise<this> {
    this.server = createServer((req, res) => void this.serve(req, res));
    this.server.on('connection', (socket) => {
      // A client killed mid-request (the crash tests) resets its connection: not our failure.
      socket.on('error', () => undefined);
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const { port: actual } = this.server.address() as AddressInfo;
    this.url = `http://${host}:${actual}`;
    return this;
  }

  fail(fault: Fault): void {
    this.faults.add(fault);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const request: StandInRequest = {
      method: (req.method ?? 'GET').toLowerCase(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')])),
      raw: Buffer.concat(chunks).toString('utf8'),
    };
    const fault = this.faults.take();
    if (this.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    let response: StandInResponse;
    try {
      response = await this.handle(request, fault);
    } catch (error) {
      response = { status: 500, body: { message: `stand-in error: ${(error as Error).message}` } };
    }
    if (res.destroyed) return;
    res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers });
    res.end(response.body === undefined ? '' : JSON.stringify(response.body));
  }
}
