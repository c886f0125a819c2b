/** LINE's own URLs for an official account, from its basic id (@abc1234). */
export function friendAddUrl(basicId: string): string {
  return `https://line.me/R/ti/p/${encodeURIComponent(basicId)}`;
}

/** Opens a chat with the account with `text` typed in, ready to send. */
export function prefilledMessageUrl(basicId: string, text: string): string {
  return `https://line.me/R/oaMessage/${encodeURIComponent(basicId)}/?${encodeURIComponent(text)}`;
}

/** The message the invitation page pre-fills: the account answers it with a 連携する button. */
export const inviteMessage = (inviteToken: string) => `連携 ${inviteToken}`;
