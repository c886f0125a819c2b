import { AnswerTokenSigner } from '#anpi/alerts';
import type { TestApi } from './test-api.js';

/** Each recipient's answer link path (/a/<token>), signed as the worker signs them, by employee code. */
export async function answerLinks(api: TestApi, broadcastId: string): Promise<Record<string, string>> {
  const signer = api.app.get(AnswerTokenSigner);
  const rows = await api.owner(
    `SELECT r.id, r.employee_code, b.answer_expires_at FROM recipients r JOIN broadcasts b ON b.id = r.broadcast_id WHERE r.broadcast_id = $1`,
    [broadcastId],
  );
  return Object.fromEntries(
    rows.rows.map((r: { id: string; employee_code: string; answer_expires_at: Date }) => [
      r.employee_code,
      `/a/${signer.sign({ broadcastId, recipientId: r.id, expiresAt: r.answer_expires_at })}`,
    ]),
  );
}

/** The hidden submission key of a rendered answer form. */
export function submissionKey(html: string): string {
  const match = /name="k" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no submission key in the page');
  return match[1]!;
}
