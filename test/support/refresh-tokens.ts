import type { TestApi } from './test-api.js';

/**
 * Moves a refresh token's rotation a minute into the past: out of the grace in which presenting it
 * again counts as a race between tabs, not as a copy.
 */
export async function rotatedLongAgo(api: TestApi, token: string): Promise<void> {
  const { rows } = await api.owner(
    `UPDATE refresh_tokens SET revoked_at = revoked_at - interval '1 minute'
      WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex') AND revoked_reason = 'rotated' RETURNING id`,
    [token],
  );
  if (rows.length !== 1) throw new Error('rotatedLongAgo: no rotated token with that value');
}
