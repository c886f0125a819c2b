import type { ActorType } from '#anpi/db';

/** Who did something, as the audit log records it. */
export interface Actor {
  type: ActorType;
  /** User or API key id; null for the platform operator and the system. */
  id: string | null;
  requestId?: string;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null };
