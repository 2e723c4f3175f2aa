import { useCallback, useEffect, useId, useRef, useState } from "react";
import { api } from "../lib/api";
import { ago, dateTime } from "../lib/format";
import type { Notification, NotificationList } from "../lib/notify-types";
import { Link, useLocation } from "../lib/router";
import {
  forgetUnread,
  markRead,
  notificationPath,
  openNotification,
  refreshUnread,
  setUnread,
  useUnread,
} from "../lib/unread";
import { ALERT_ADMIN_PAGES } from "./alerts-nav";

/** How often the bell asks for the unread count (and whenever the window comes back into focus). */
const POLL_MS = 30_000;

function BellIcon() {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
      />
    </svg>
  );
}

/** The latest ten, fetched each time the dropdown opens. */
function Dropdown({ id, onClose, admin }: { id: string; onClose: () => void; admin: boolean }) {
  const [list, setList] = useState<{ items?: Notification[]; error?: string }>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const ctrl = new AbortController();
    api<NotificationList>("/api/v1/notifications?limit=10", { signal: ctrl.signal }).then(
      (p) => {
        setList({ items: p.items });
        setUnread(p.unread);
      },
      (err: unknown) => {
        if (!ctrl.signal.aborted) setList({ error: err instanceof Error ? err.message : String(err) });
      },
    );
    return () => ctrl.abort();
  }, []);
  const all = async () => {
    setBusy(true);
    try {
      await markRead({ all: true });
      const now = new Date().toISOString();
      setList((l) => ({ items: l.items?.map((n) => (n.read_at ? n : { ...n, read_at: now })) }));
    } catch (err) {
      setList((l) => ({ ...l, error: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };
  const hasUnread = list.items?.some((n) => !n.read_at) ?? false;
  return (
    <section className="bell-panel" id={id} aria-label="Latest notifications" data-testid="bell-panel">
      <header className="bell-head">
        <h2>Notifications</h2>
        <button
          type="button"
          className="button small"
          onClick={all}
          disabled={busy || !hasUnread}
          data-testid="bell-mark-all"
        >
          Mark all read
        </button>
      </header>
      {list.error && (
        <p className="field-error" role="alert">
          {list.error}
        </p>
      )}
      {!list.items && !list.error && (
        <p className="muted bell-empty" role="status">
          Loading…
        </p>
      )}
      {list.items?.length === 0 && <p className="muted bell-empty">Nothing yet.</p>}
      {list.items && list.items.length > 0 && (
        <ul className="bell-list">
          {list.items.map((n) => (
            <li key={n.id} className={n.read_at ? "read" : "unread"}>
              <a
                href={notificationPath(n)}
                data-testid="bell-item"
                data-id={n.id}
                data-read={n.read_at ? "yes" : "no"}
                onClick={(e) => {
                  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
                  e.preventDefault();
                  onClose();
                  openNotification(n);
                }}
              >
                <span className={`sev-dot sev-${n.severity}`} aria-hidden="true" />
                <span className="bell-item-text">
                  <strong>{n.title}</strong>
                  <small title={dateTime(n.updated_at)}>
                    {n.account.name} · {ago(n.updated_at)}
                    {n.occurrences > 1 ? ` · ${n.occurrences} times` : ""}
                    {n.read_at ? "" : " · unread"}
                  </small>
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
      <footer className="bell-foot">
        <Link to="/notifications">All notifications and preferences</Link>
        {admin && (
          <span className="bell-admin">
            {ALERT_ADMIN_PAGES.map((p) => (
              <Link key={p.to} to={p.to}>
                {p.label}
              </Link>
            ))}
          </span>
        )}
      </footer>
    </section>
  );
}

/**
 * The header's bell, for everyone: the unread count (polled, and asked again
 * when the window comes back), and a dropdown of the latest ten with a link
 * to the Notifications page; `admin` adds the webhooks and the team's
 * notification settings (the main bar has no room left for them).
 */
export function Bell({ admin = false }: { admin?: boolean }) {
  const unread = useUnread();
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    void refreshUnread(ctrl.signal);
    const timer = setInterval(() => void refreshUnread(ctrl.signal), POLL_MS);
    const onFocus = () => void refreshUnread(ctrl.signal);
    const onVisible = () => {
      if (document.visibilityState === "visible") onFocus();
    };
    window.addEventListener("focus", onFocus);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      ctrl.abort();
      clearInterval(timer);
      forgetUnread();
      window.removeEventListener("focus", onFocus);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, []);
  const close = useCallback(() => setOpen(false), []);
  const { path } = useLocation();
  // Following any link in it (or going back) closes the dropdown.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the page changes
  useEffect(() => setOpen(false), [path]);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("pointerdown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);
  const n = unread ?? 0;
  return (
    <div className="bell" ref={root}>
      <button
        ref={button}
        type="button"
        className="bell-button"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={`Notifications: ${n} unread`}
        onClick={() => setOpen((o) => !o)}
        data-testid="bell"
        data-unread={n}
      >
        <BellIcon />
        {n > 0 && (
          <span className="bell-count" data-testid="bell-count" aria-hidden="true">
            {n > 99 ? "99+" : n}
          </span>
        )}
      </button>
      {open && <Dropdown id={id} onClose={close} admin={admin} />}
    </div>
  );
}
