import { Fragment, useEffect, useState } from "react";
import { Async, Empty, Panel } from "../components/states";
import { ApiError, api, query } from "../lib/api";
import { ago, dateTime } from "../lib/format";
import {
  DELIVERY_STATES,
  type DeliveriesPage,
  type Delivery,
  eventLabel,
  type Webhook,
} from "../lib/notify-types";
import { navigate, useLocation } from "../lib/router";
import { useApi } from "../lib/use-api";
import { Detail, Replay, StateTag } from "./webhooks-delivery-detail";

/** The page's address with these parameters changed (undefined or "" removes one). */
export function webhooksPath(params: URLSearchParams, next: Record<string, string | undefined>): string {
  const q = new URLSearchParams(params);
  for (const [k, v] of Object.entries(next)) {
    if (v) q.set(k, v);
    else q.delete(k);
  }
  const s = q.toString();
  return `/webhooks${s ? `?${s}` : ""}`;
}

const CHANNELS = ["email", "slack", "webhook"] as const;

/** A table of deliveries: a row opens its attempts below it; `replay` puts a Replay button on each. */
function DeliveryTable({ path, replay }: { path: string; replay?: boolean }) {
  const { params } = useLocation();
  const first = useApi<DeliveriesPage>(path);
  const [more, setMore] = useState<{ items: Delivery[]; next: string | null; busy: boolean; error?: string }>(
    {
      items: [],
      next: null,
      busy: false,
    },
  );
  const [changed, setChanged] = useState<Map<string, Delivery>>(new Map());
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new list starts again
  useEffect(() => {
    setMore({ items: [], next: null, busy: false });
    setChanged(new Map());
  }, [path]);
  const open = params.get("delivery");
  const toggle = (id: string) =>
    navigate(webhooksPath(params, { delivery: open === id ? undefined : id }), { replace: true });
  const next = more.items.length ? more.next : (first.data?.next_cursor ?? null);
  const loadMore = async () => {
    if (!next) return;
    setMore((m) => ({ ...m, busy: true }));
    try {
      const page = await api<DeliveriesPage>(`${path}&cursor=${encodeURIComponent(next)}`);
      setMore((m) => ({ items: [...m.items, ...page.items], next: page.next_cursor, busy: false }));
    } catch (err) {
      setMore((m) => ({ ...m, busy: false, error: err instanceof ApiError ? err.message : String(err) }));
    }
  };
  const onReplayed = (d: Delivery) => setChanged((m) => new Map(m).set(d.id, d));
  const items = [...(first.data?.items ?? []), ...more.items].map((d) => changed.get(d.id) ?? d);
  const shownOpen = open && !items.some((d) => d.id === open) ? open : null;
  return (
    <Async value={first} what="the deliveries" height={120}>
      {() => (
        <>
          {shownOpen && <Detail id={shownOpen} onReplayed={onReplayed} />}
          {items.length === 0 ? (
            <Empty>
              <span data-testid="no-deliveries">
                {replay
                  ? "No dead letters: everything was delivered or is on its way."
                  : "No deliveries match."}
              </span>
            </Empty>
          ) : (
            <div className="table-wrap">
              <table className="deliveries" data-testid="deliveries">
                <thead>
                  <tr>
                    <th scope="col">Made</th>
                    <th scope="col">Channel</th>
                    <th scope="col">Event</th>
                    <th scope="col">To</th>
                    <th scope="col">State</th>
                    <th scope="col" className="num">
                      Attempts
                    </th>
                    <th scope="col">Last answer</th>
                    {replay && (
                      <th scope="col">
                        <span className="sr-only">Replay</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {items.map((d) => (
                    <Fragment key={d.id}>
                      <tr
                        className="clickable"
                        aria-selected={open === d.id}
                        onClick={(e) => {
                          if ((e.target as HTMLElement).closest("button, a")) return;
                          toggle(d.id);
                        }}
                        data-testid="delivery"
                        data-id={d.id}
                        data-state={d.state}
                      >
                        <td title={dateTime(d.created_at)}>
                          <button
                            type="button"
                            className="button link small"
                            aria-expanded={open === d.id}
                            onClick={() => toggle(d.id)}
                            data-testid="delivery-open"
                          >
                            {ago(d.created_at)}
                          </button>
                        </td>
                        <td>{d.channel}</td>
                        <td>{eventLabel(d.event_type)}</td>
                        <td className="endpoint-url">{d.target}</td>
                        <td>
                          <StateTag state={d.state} />
                        </td>
                        <td className="num">{d.attempts}</td>
                        <td>
                          {d.last_status !== null && <code>{d.last_status}</code>}{" "}
                          <span className="muted small">{d.last_error ?? ""}</span>
                        </td>
                        {replay && (
                          <td>
                            <Replay d={d} onReplayed={onReplayed} />
                          </td>
                        )}
                      </tr>
                      {open === d.id && (
                        <tr className="edit-row">
                          <td colSpan={replay ? 8 : 7}>
                            <Detail id={d.id} onReplayed={onReplayed} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {next && (
            <div className="pager">
              {more.error && <span className="field-error">{more.error}</span>}
              <button type="button" className="button" disabled={more.busy} onClick={loadMore}>
                {more.busy ? "Loading…" : "Show more"}
              </button>
            </div>
          )}
        </>
      )}
    </Async>
  );
}

/** Every outgoing email, Slack post and webhook call, by state, channel or endpoint. */
export function DeliveriesTab() {
  const { params } = useLocation();
  const state = params.get("state") ?? "";
  const channel = params.get("channel") ?? "";
  const endpoint = params.get("endpoint") ?? "";
  const set = (k: string, v: string) =>
    navigate(webhooksPath(params, { [k]: v, delivery: undefined }), { replace: true });
  const path = `/api/v1/deliveries${query({ state, channel, endpoint, limit: 50 })}`;
  const endpoints = useApi<{ items: Webhook[] }>("/api/v1/webhooks");
  return (
    <Panel title="Deliveries" id="deliveries">
      <search className="filters">
        <select
          aria-label="State"
          value={state}
          onChange={(e) => set("state", e.target.value)}
          data-testid="delivery-state-filter"
        >
          <option value="">Every state</option>
          {DELIVERY_STATES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <select aria-label="Channel" value={channel} onChange={(e) => set("channel", e.target.value)}>
          <option value="">Every channel</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <select
          aria-label="Endpoint"
          value={endpoint}
          onChange={(e) => set("endpoint", e.target.value)}
          data-testid="delivery-endpoint-filter"
        >
          <option value="">Every endpoint</option>
          {endpoint && !endpoints.data?.items.some((w) => w.id === endpoint) && (
            <option value={endpoint}>{endpoint}</option>
          )}
          {endpoints.data?.items.map((w) => (
            <option key={w.id} value={w.id}>
              {w.url}
              {w.disabled_at ? " (disabled)" : ""}
            </option>
          ))}
        </select>
      </search>
      <DeliveryTable path={path} />
    </Panel>
  );
}

/** What could not be delivered (dead after every attempt, or uncertain after a crash), to replay. */
export function DeadLettersTab() {
  return (
    <Panel title="Dead letters" id="dead">
      <p className="muted small">
        Dead: every attempt failed, or the receiver refused. Uncertain: an email or Slack post whose worker
        stopped mid-send, so it may have gone; Keepwell never sends those twice by itself. Replay sends again
        with the same id.
      </p>
      <DeliveryTable path="/api/v1/deliveries?state=dead,uncertain&limit=50" replay />
    </Panel>
  );
}
