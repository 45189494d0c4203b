import { useSyncExternalStore } from 'react';

/** Where the admin's choice is kept: a preference, nothing secret. */
const STORAGE_KEY = 'aegis.approvals.desktop-notifications';

/** What this browser allows: unsupported, not asked yet, allowed, or blocked in its site settings. */
export type NotificationPermissionState = 'unsupported' | NotificationPermission;

export interface DesktopNotificationsState {
  permission: NotificationPermissionState;
  /** The admin asked for notifications (and has not turned them off since). */
  wanted: boolean;
}

const listeners = new Set<() => void>();
let snapshot: DesktopNotificationsState | undefined;

function supported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

function read(): DesktopNotificationsState {
  let wanted = false;
  try {
    wanted = window.localStorage.getItem(STORAGE_KEY) === 'on';
  } catch {
    // Storage can be off (private modes): the choice then lasts as long as the page.
    wanted = snapshot?.wanted ?? false;
  }
  return { permission: supported() ? Notification.permission : 'unsupported', wanted };
}

function changed(): void {
  snapshot = read();
  for (const listener of [...listeners]) listener();
}

function getSnapshot(): DesktopNotificationsState {
  const next = read();
  if (!snapshot || snapshot.permission !== next.permission || snapshot.wanted !== next.wanted) snapshot = next;
  return snapshot;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function remember(wanted: boolean): void {
  try {
    if (wanted) window.localStorage.setItem(STORAGE_KEY, 'on');
    else window.localStorage.removeItem(STORAGE_KEY);
  } catch {
    snapshot = { permission: snapshot?.permission ?? 'unsupported', wanted };
  }
  changed();
}

/**
 * Turns desktop notifications on. Call it only from a click: browsers ignore (or block for good)
 * permission prompts that no gesture asked for.
 */
export async function enableDesktopNotifications(): Promise<NotificationPermissionState> {
  if (!supported()) return 'unsupported';
  const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
  remember(permission === 'granted');
  return permission;
}

export function disableDesktopNotifications(): void {
  remember(false);
}

export function useDesktopNotifications(): DesktopNotificationsState {
  return useSyncExternalStore(subscribe, getSnapshot);
}

/** Shows a desktop notification if the admin asked for them, the browser allows them and the tab is not on view. */
export function notifyWhenHidden({
  title,
  body,
  tag,
  onClick,
}: {
  title: string;
  body: string;
  tag: string;
  onClick: () => void;
}): Notification | null {
  if (!supported() || document.visibilityState !== 'hidden') return null;
  const { permission, wanted } = read();
  if (!wanted || permission !== 'granted') return null;
  const notification = new Notification(title, { body, tag });
  notification.onclick = () => {
    window.focus();
    onClick();
    notification.close();
  };
  return notification;
}
