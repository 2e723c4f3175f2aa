import { useEffect, useState } from "react";
import { Async, Empty, Panel } from "../components/states";
import { ApiError, api, query } from "../lib/api";
import { bandLabel } from "../lib/bands";
import { ago, count, dateTime } from "../lib/format";
import { eventLabel, type Notification, type NotificationList } from "../lib/notify-types";
import { navigate, useLocation } from "../lib/router";
import { markRead, notificationPath, openNotification, setUnread, useUnread } from "../lib/unread";
import { useApi } from "../lib/use-api";
import { PrefsPanel } from "./notifications-prefs";
import { SubscriptionsPanel } from "./notifications-subscriptions";

const PAGE = 25;

/** The list shown: the first page, the pages loaded after it, and what was marked read here laid over them. */
function useInbox(path: string) {
  const first = useApi<NotificationList>(path);
  const [more, setMore] = useState<{
    items: Notification[];
    next: string | null;
    busy: boolean;
    error?: string;
  }>({ items: [], next: null, busy: false });
  const [readHere, setReadHere] = useState<Map<string, string>>(new Map());
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new list starts again
  useEffect(() => {
    setMore({ items: [], next: null, busy: false });
    setReadHere(new Map());
  }, [path]);
  useEffect(() => {
    if (first.data) setUnread(first.data.unread);
  }, [first.data]);
  const next = more.items.length ? more.next : (first.data?.next_cursor ?? null);
  const loadMore = async () => {
    if (!next) return;
    setMore((m) => ({ ...m, busy: true, error: undefined }));
    try {
      const sep = path.includes("?") ? "&" : "?";
      const page = await api<NotificationList>(`${path}${sep}cursor=${encodeURIComponent(next)}`);
      setMore((m) => ({ items: [...m.items, ...page.items], next: page.next_cursor, busy: false }));
    } catch (err) {
      setMore((m) => ({ ...m, busy: false, error: err instanceof ApiError ? err.message : String(err) }));
    }
  };
  const items = [...(first.data?.items ?? []), ...more.items].map((n) =>
    n.read_at || !readHere.has(n.id) ? n : { ...n, read_at: readHere.get(n.id)! },
  );
  const markedRead = (ids: string[]) =>
    setReadHere((m) => {
      const copy = new Map(m);
      const now = new Date().toISOString();
      for (const id of ids) copy.set(id, now);
      return copy;
    });
  return { first, items, next, loadMore, more, markedRead };
}

function Row({ n, onRead }: { n: Notification; onRead: (ids: string[]) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const read = async () => {
    setBusy(true);
    setError(null);
    try {
      await markRead({ ids: [n.id] });
      onRead([n.id]);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const c = n.content;
  return (
    <li
      className={n.read_at ? "read" : "unread"}
      data-testid="notification"
      data-id={n.id}
      data-read={n.read_at ? "yes" : "no"}
      data-event={n.event_type}
    >
      <span className={`sev-dot sev-${n.severity}`} aria-hidden="true" />
      <div className="notification-body">
        <a
          href={notificationPath(n)}
          className="account-link"
          onClick={(e) => {
            if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
            e.preventDefault();
            openNotification(n);
          }}
        >
          {n.title}
        </a>
        {!n.read_at && <span className="tag">unread</span>}
        {c?.reason && <p>{c.reason}</p>}
        <small>
          {eventLabel(n.event_type)} · {n.account.name}
          {c?.band ? ` · ${bandLabel(c.band)}` : ""}
          {c?.score !== null && c?.score !== undefined ? ` · score ${Math.round(c.score)}` : ""}
          {c?.due_at ? ` · due ${dateTime(c.due_at)}` : ""}
          {n.occurrences > 1 ? ` · ${count(n.occurrences)} times` : ""}
          {n.delivery === "digest" ? " · in the daily digest" : ""}
          {" · "}
          <span title={dateTime(n.updated_at)}>{ago(n.updated_at)}</span>
        </small>
        {error && (
          <span className="field-error" role="alert">
            {error}
          </span>
        )}
      </div>
      {!n.read_at && (
        <button
          type="button"
          className="button small"
          onClick={read}
          disabled={busy}
          aria-label={`Mark “${n.title}” read`}
          data-testid="mark-read"
        >
          Mark read
        </button>
      )}
    </li>
  );
}

function Inbox() {
  const { params } = useLocation();
  const unreadOnly = params.get("unread") === "true";
  const path = `/api/v1/notifications${query({ unread: unreadOnly ? "true" : undefined, limit: PAGE })}`;
  const { first, items, next, loadMore, more, markedRead } = useInbox(path);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const all = async () => {
    setBusy(true);
    setError(null);
    try {
      await markRead({ all: true });
      markedRead(items.map((n) => n.id));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const unread = Math.max(useUnread() ?? 0, items.filter((n) => !n.read_at).length);
  return (
    <Panel
      title="In the dashboard"
      id="inbox"
      aside={
        <button
          type="button"
          className="button small"
          onClick={all}
          disabled={busy || unread === 0}
          data-testid="mark-all-read"
        >
          Mark all read
        </button>
      }
    >
      <search className="filters">
        <label className="inline-label">
          <input
            type="checkbox"
            checked={unreadOnly}
            onChange={(e) =>
              navigate(`/notifications${e.target.checked ? "?unread=true" : ""}`, { replace: true })
            }
            data-testid="unread-only"
          />{" "}
          Unread only
        </label>
      </search>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <Async value={first} what="your notifications" height={120}>
        {() =>
          items.length === 0 ? (
            <Empty>
              <span data-testid="no-notifications">
                {unreadOnly
                  ? "Nothing unread."
                  : "No notifications yet. You are told when a play opens for you, is escalated to you, or something you follow happens."}
              </span>
            </Empty>
          ) : (
            <>
              <ul className="notification-list" data-testid="notifications">
                {items.map((n) => (
                  <Row key={n.id} n={n} onRead={markedRead} />
                ))}
              </ul>
              {next && (
                <div className="pager">
                  {more.error && <span className="field-error">{more.error}</span>}
                  <button type="button" className="button" disabled={more.busy} onClick={loadMore}>
                    {more.busy ? "Loading…" : "Show more"}
                  </button>
                </div>
              )}
            </>
          )
        }
      </Async>
    </Panel>
  );
}

/** The signed-in person's notifications, how they are told, and what they follow. */
export function NotificationsPage() {
  return (
    <div className="page">
      <div className="page-head">
        <h1>Notifications</h1>
        <p className="muted">What Keepwell told you, how it tells you, and what you follow.</p>
      </div>
      <div className="grid-2 wide-left">
        <div>
          <Inbox />
        </div>
        <div>
          <PrefsPanel />
          <SubscriptionsPanel />
        </div>
      </div>
    </div>
  );
}
