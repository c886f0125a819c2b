/**
 * A tenant's LINE WORKS app and bot: what Service Account authentication and the bot's message
 * API need. Secrets arrive here opened (see ChannelSettingsService); they are never logged.
 */
export interface LineWorksApp {
  /** The app's client id: the JWT's issuer, and the key of its cached access token. */
  clientId: string;
  clientSecret: string;
  /** The service account (…serviceaccount@domain): the JWT's subject. */
  serviceAccount: string;
  /** The app's RS256 private key, PEM. */
  privateKey: string;
  botId: string;
  domainId: string | null;
  /** Message requests a minute that the sender keeps to (shared by every worker through Redis). */
  ratePerMinute: number;
}

/** A button of a button template: open a link, or send a message with a postback to the bot. */
export type LineWorksAction = { type: 'uri'; label: string; uri: string } | { type: 'message'; label: string; text?: string; postback?: string };

/** The message contents anpi sends (LINE WORKS "Content" objects; see docs/lineworks.md for the pages). */
export type LineWorksContent = { type: 'text'; text: string } | { type: 'button_template'; contentText: string; actions: LineWorksAction[] };

/** LINE WORKS' documented limits that anpi's messages must keep to. */
export const LINEWORKS_LIMITS = { text: 2000, contentText: 1000, label: 20, uri: 1000, postback: 300, actions: 10 } as const;
