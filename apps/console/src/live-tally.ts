import { useEffect, useState } from 'react';
import { authHeader, type Schemas } from './api/client';

export type Tally = Schemas['TallyView'];

/**
 * The live tally: the api's Server-Sent Events stream read through fetch (EventSource cannot send
 * the Authorization header), parsed event by event, reconnecting with backoff (1 s doubling to 30 s)
 * whenever the stream ends or fails.
 */
export function useLiveTally(broadcastId: string): { tally: Tally | null; connected: boolean; error: string | null } {
  const [tally, setTally] = useState<Tally | null>(null);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    let delay = 1000;
    const run = async () => {
      while (!abort.signal.aborted) {
        try {
          const response = await fetch(`/v1/broadcasts/${broadcastId}/tally/stream`, {
            headers: { ...authHeader(), Accept: 'text/event-stream' },
            signal: abort.signal,
          });
          if (!response.ok || !response.body) {
            const body = (await response.json().catch(() => null)) as { message?: string } | null;
            setError(body?.message ?? `${response.status}`);
            if (response.status >= 400 && response.status < 500 && response.status !== 401 && response.status !== 429) return;
          } else {
            setConnected(true);
            setError(null);
            delay = 1000;
            await readEvents(response.body, (event, data) => {
              if (event === 'tally') setTally(JSON.parse(data) as Tally);
            });
          }
        } catch (e) {
          if (abort.signal.aborted) return;
          setError(e instanceof Error ? e.message : String(e));
        }
        setConnected(false);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 30_000);
      }
    };
    void run();
    return () => abort.abort();
  }, [broadcastId]);
  return { tally, connected, error };
}

async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: string, data: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent(event, data.join('\n'));
    }
  }
}
