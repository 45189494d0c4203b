import type { ApiComponents } from '@aegis/contracts';

export type SessionUser = ApiComponents['schemas']['SessionUserDto'];

/** Why a session ended: it decides what the login page says. */
export type SessionEndReason = 'signed-out' | 'password-changed' | 'expired';

type Listener<T> = (value: T) => void;

const endListeners = new Set<Listener<SessionEndReason>>();
const renewListeners = new Set<Listener<SessionUser>>();

/**
 * The session's lifecycle, told from where it is learnt (the API client, sign-out, password
 * change) to whoever holds the session state (the app), without either importing the other.
 */
export function onSessionEnd(listener: Listener<SessionEndReason>): () => void {
  endListeners.add(listener);
  return () => endListeners.delete(listener);
}

export function onSessionRenewed(listener: Listener<SessionUser>): () => void {
  renewListeners.add(listener);
  return () => renewListeners.delete(listener);
}

export function announceSessionEnd(reason: SessionEndReason): void {
  for (const listener of [...endListeners]) listener(reason);
}

export function announceSessionRenewed(user: SessionUser): void {
  for (const listener of [...renewListeners]) listener(user);
}
