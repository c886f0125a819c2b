import http from 'node:http';
import https from 'node:https';

export interface FormPostResponse {
  status: number;
  retryAfter: string | undefined;
  text: string;
  /** Response headers, lower-case names. */
  headers: Record<string, string | string[] | undefined>;
}

// Connections to the provider stay open between messages (an alert sends tens of thousands).
const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/**
 * One form-encoded POST over Node's own http client. fetch (undici with web streams, an abort
 * signal and a DOMException per request) was the largest cost of an SMS in a large fan-out; this
 * does the same request with a fraction of the work. Rejects on a network error or after
 * `timeoutMs` without the whole response.
 */
export function postForm(url: string, headers: Record<string, string>, form: URLSearchParams, timeoutMs: number): Promise<FormPostResponse> {
  return post(url, { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, Buffer.from(form.toString()), timeoutMs);
}

/** The same for a JSON body (SendGrid's Mail Send). */
export function postJson(url: string, headers: Record<string, string>, json: unknown, timeoutMs: number): Promise<FormPostResponse> {
  return post(url, { ...headers, 'Content-Type': 'application/json' }, Buffer.from(JSON.stringify(json)), timeoutMs);
}

function post(url: string, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<FormPostResponse> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        agent: agents[target.protocol as 'http:' | 'https:'],
        headers: { ...headers, 'Content-Length': String(body.length) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          clearTimeout(timer);
          const retryAfter = response.headers['retry-after'];
          resolve({
            status: response.statusCode ?? 0,
            retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
            text: Buffer.concat(chunks).toString('utf8'),
            headers: response.headers,
          });
        });
        response.on('error', fail);
      },
    );
    const timer = setTimeout(() => request.destroy(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
    function fail(error: Error): void {
      clearTimeout(timer);
      reject(error);
    }
    request.on('error', fail);
    request.end(body);
  });
}
