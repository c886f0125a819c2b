import { json, type Service } from './support.js';

export interface LaunchResult {
  launches: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/**
 * Time for POST /v1/broadcasts to answer 202 on a tenant of the benchmark's size. The worker is
 * not running here, so the launches only queue (the fan-out is measured separately); each is
 * cancelled afterwards.
 */
export async function launchScenario(api: Service, token: string, launches = 20): Promise<LaunchResult> {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const times: number[] = [];
  for (let i = 0; i < launches + 3; i++) {
    const started = performance.now();
    const res = await fetch(`${api.url}/v1/broadcasts`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ templateId: 'preset:drill', targets: { all: true } }),
    });
    const elapsed = performance.now() - started;
    const { id } = await json<{ id: string }>(res);
    if (i >= 3) times.push(elapsed); // the first three warm the path up
    await json(await fetch(`${api.url}/v1/broadcasts/${id}/cancel`, { method: 'POST', headers }));
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]! * 10) / 10;
  return { launches, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: at(1) };
}
