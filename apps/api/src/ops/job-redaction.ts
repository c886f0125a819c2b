/**
 * What the queue dashboard may show of a job. Job payloads are ids and counters, but a few carry
 * what must not reach a dashboard: LINE and LINE WORKS events (user ids, message text, reply
 * tokens), link codes. Only the keys named here are shown as they are; an event shows its type;
 * everything else is replaced, so a key added to a job later is hidden until someone lists it.
 */
const SHOWN_KEYS = new Set([
  'tenantId',
  'broadcastId',
  'round',
  'batch',
  'kind',
  'step',
  'month',
  'telegramId',
  'employeeId',
  'messageId',
  'autoLaunchId',
  'lineQueued',
  'botId',
  'channelKey',
]);

export const REDACTED = '[redacted]';

export function redactJobData(data: unknown): unknown {
  if (data === null || data === undefined) return data;
  if (typeof data !== 'object' || Array.isArray(data)) return REDACTED;
  return Object.fromEntries(
    Object.entries(data as Record<string, unknown>).map(([key, value]) => {
      if (key === 'event') return [key, { type: eventType(value) }];
      const shown = SHOWN_KEYS.has(key) && (value === null || ['string', 'number', 'boolean'].includes(typeof value));
      return [key, shown ? value : REDACTED];
    }),
  );
}

/** Return values are shown only when they are plain numbers or booleans (counts, flags). */
export function redactReturnValue(value: unknown): unknown {
  return value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean' ? value : REDACTED;
}

/**
 * A job's failure text as the dashboard shows it: addresses, phone numbers and long tokens masked,
 * in case a provider's error message quoted one.
 */
export function redactFailure(text: string): string {
  return text
    .replace(/[^\s@"'<>]+@[^\s@"'<>]+\.[A-Za-z]{2,}/g, '[email]')
    .replace(/\+?\d[\d\s-]{8,}\d/g, '[number]')
    .replace(/[A-Za-z0-9_-]{32,}/g, '[token]');
}

function eventType(event: unknown): string {
  const type = (event as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : 'unknown';
}
