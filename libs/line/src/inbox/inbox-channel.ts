/** Inbox messages from LINE WORKS keep their bot as the channel key (lineworks:<bot id>); LINE's are the channel's key. */
export const LINEWORKS_PREFIX = 'lineworks:';
