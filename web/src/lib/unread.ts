import { useSyncExternalStore } from "react";
import { api } from "./api";
import type { Marked, Notification, Unread } from "./notify-types";
import { navigate } from "./router";

/**
 * The signed-in person's unread count, shared by the bell and the
 * Notifications page: whoever marks something read says the new count here.
 */
let unreadCount: number | null = null;
const listeners = new Set<() => void>();
/** Forgets the count (signed out: the next person's bell starts from their own). */
export function forgetUnread(): void {
  unreadCount = null;
}
export function setUnread(n: number): void {
  unreadCount = n;
  for (const l of listeners) l();
}
function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The unread count as last heard (null before the first answer). */
export function useUnread(): number | null {
  return useSyncExternalStore(subscribe, () => unreadCount);
}

/** Asks the server for the count now; a failure keeps the last count shown. */
export async function refreshUnread(signal?: AbortSignal): Promise<void> {
  try {
    const { unread } = await api<Unread>("/api/v1/notifications/unread", { signal });
    setUnread(unread);
  } catch {
    // The last count stays shown; the next poll tries again (a 401 has already gone to sign-in).
  }
}

/** Marks notifications read (`all`, or these ids) and updates the count everywhere. */
export async function markRead(which: { ids: string[] } | { all: true }): Promise<Marked> {
  const r = await api<Marked>("/api/v1/notifications/read", { method: "POST", body: which });
  setUnread(r.unread);
  return r;
}

/**
 * Where a notification leads in the dashboard: its link's path (the account's
 * page), whatever host the server's public URL names; the account's page otherwise.
 */
export function notificationPath(n: Pick<Notification, "account" | "link">): string {
  try {
    const url = new URL(n.link, window.location.origin);
    if (url.pathname.startsWith("/accounts/")) return url.pathname + url.search;
  } catch {
    // Not a URL: the account's page below.
  }
  return `/accounts/${encodeURIComponent(n.account.id)}`;
}

/** Opens a notification: marks it read (without waiting) and goes to its account. */
export function openNotification(n: Notification, onError?: (e: unknown) => void): void {
  if (!n.read_at) markRead({ ids: [n.id] }).catch((e) => onError?.(e));
  navigate(notificationPath(n));
}
