import { useEffect, useState } from "react";
import { Async, Empty, Panel } from "../components/states";
import { can } from "../lib/access";
import { ApiError, api, query } from "../lib/api";
import { count } from "../lib/format";
import type { Play, PlaysPage } from "../lib/plays";
import { Link, navigate, useLocation } from "../lib/router";
import { useUser } from "../lib/session";
import type { ScorecardResponse, Sparklines, User } from "../lib/types";
import { useApi } from "../lib/use-api";
import { PlayCard } from "./play-card";

const STATES = [
  { value: "active", label: "Not closed" },
  { value: "open", label: "Open (not acknowledged)" },
  { value: "snoozed", label: "Snoozed" },
  { value: "closed", label: "Closed" },
  { value: "all", label: "All" },
] as const;

/** Plays shown, with the changes made here laid over them (a closed play stays, marked closed, until a reload). */
function usePlays(path: string) {
  const first = useApi<PlaysPage>(path);
  const [more, setMore] = useState<{ plays: Play[]; next: string | null; busy: boolean; error?: ApiError }>({
    plays: [],
    next: null,
    busy: false,
  });
  const [changed, setChanged] = useState<Map<string, Play>>(new Map());
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new list starts again
  useEffect(() => {
    setMore({ plays: [], next: null, busy: false });
    setChanged(new Map());
  }, [path]);
  const next = more.plays.length ? more.next : (first.data?.next_cursor ?? null);
  const loadMore = async () => {
    if (!next) return;
    setMore((m) => ({ ...m, busy: true }));
    try {
      const sep = path.includes("?") ? "&" : "?";
      const page = await api<PlaysPage>(`${path}${sep}cursor=${encodeURIComponent(next)}`);
      setMore((m) => ({ plays: [...m.plays, ...page.plays], next: page.next_cursor, busy: false }));
    } catch (err) {
      setMore((m) => ({ ...m, busy: false, error: err instanceof ApiError ? err : undefined }));
    }
  };
  const plays = [...(first.data?.plays ?? []), ...more.plays].map((p) => changed.get(p.id) ?? p);
  const onChanged = (p: Play) => setChanged((m) => new Map(m).set(p.id, p));
  return { first, plays, next, loadMore, more, onChanged };
}

/**
 * "My work": the signed-in person's plays by due time, overdue first in red,
 * each with its reason, its account's band and trend, and what they may do.
 * `?owner=<user id>` shows someone else's (the Team page links here).
 */
export function MyWorkPage() {
  const me = useUser();
  const { params } = useLocation();
  const owner = params.get("owner") || "me";
  const state = params.get("state") || "active";
  const overdueOnly = params.get("overdue") === "true";
  const path = `/api/v1/plays${query({
    owner,
    state: state === "active" ? undefined : state,
    overdue: overdueOnly ? "true" : undefined,
    limit: 100,
  })}`;
  const { first, plays, next, loadMore, more, onChanged } = usePlays(path);
  const mine = owner === "me" || owner === me.id;
  const users = useApi<{ data: User[] }>(mine || owner === "unassigned" ? null : "/api/v1/users");
  const who =
    owner === "unassigned"
      ? "Plays without an owner"
      : mine
        ? "My work"
        : `Plays of ${users.data?.data.find((u) => u.id === owner)?.name ?? plays[0]?.owner?.name ?? "…"}`;
  const accounts = [...new Set(plays.map((p) => p.account.id))];
  const sparks = useApi<Sparklines>(
    accounts.length
      ? `/api/v1/insights/sparklines?months=12&accounts=${accounts.slice(0, 1000).map(encodeURIComponent).join(",")}`
      : null,
  );
  const scorecard = useApi<ScorecardResponse>("/api/v1/scorecard");
  const thresholds = scorecard.data?.scorecard.bands;
  const byAccount = new Map(sparks.data?.data.map((d) => [d.account, d.scores]));
  const set = (next: Record<string, string | undefined>) => {
    const q = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) q.set(k, v);
      else q.delete(k);
    }
    const s = q.toString();
    navigate(`/work${s ? `?${s}` : ""}`, { replace: true });
  };
  const notClosed = plays.filter((p) => p.state !== "closed");
  const overdue = notClosed.filter((p) => p.overdue).length;
  // The API sorts by due time, so the overdue come first, the longest late at the top.
  const shown = plays;
  return (
    <div className="page">
      <div className="page-head">
        {!mine && (
          <p className="crumbs">
            <Link to="/team">Team</Link> / {who}
          </p>
        )}
        <h1>{who}</h1>
        {first.status === "ok" && (
          <p className="muted" data-testid="work-summary">
            {state === "active"
              ? `${count(notClosed.length)} open play${notClosed.length === 1 ? "" : "s"}${overdue ? `, ${count(overdue)} overdue` : ""}${next ? " (more below)" : ""}`
              : `${count(plays.length)} play${plays.length === 1 ? "" : "s"}${next ? " (more below)" : ""}`}
          </p>
        )}
      </div>
      <search className="filters">
        <select
          aria-label="State"
          value={state}
          onChange={(e) => set({ state: e.target.value === "active" ? undefined : e.target.value })}
          data-testid="work-state"
        >
          {STATES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        <label className="inline-label">
          <input
            type="checkbox"
            checked={overdueOnly}
            onChange={(e) => set({ overdue: e.target.checked ? "true" : undefined })}
            data-testid="work-overdue"
          />{" "}
          Overdue only
        </label>
      </search>
      <Panel title={state === "closed" ? "Closed plays" : "Plays by due time"} id="plays">
        <Async value={first} what="the plays" height={160}>
          {() =>
            shown.length === 0 ? (
              <Empty>
                <span data-testid="no-plays">
                  {state === "active" && !overdueOnly
                    ? mine
                      ? "Nothing to do: no play is open for you. Plays open when an account's score or signals match a playbook."
                      : "No open plays."
                    : "No plays match."}
                </span>
              </Empty>
            ) : (
              <div className="plays" data-testid="plays">
                {shown.map((p) => (
                  <PlayCard
                    key={p.id}
                    play={p}
                    onChanged={onChanged}
                    showAccount
                    spark={byAccount.get(p.account.id)}
                    thresholds={thresholds}
                  />
                ))}
                {next && (
                  <div className="pager">
                    {more.error && <span className="field-error">{more.error.message}</span>}
                    <button type="button" className="button" disabled={more.busy} onClick={loadMore}>
                      {more.busy ? "Loading…" : "Show more"}
                    </button>
                  </div>
                )}
              </div>
            )
          }
        </Async>
      </Panel>
    </div>
  );
}

/** On the portfolio (the page after signing in): how much of the person's work is open, and a way to it. */
export function WorkStrip() {
  const me = useUser();
  const work = useApi<PlaysPage>(can(me, "plays.write") ? "/api/v1/plays?owner=me&limit=100" : null);
  const plays = work.data?.plays ?? [];
  if (work.status !== "ok" || plays.length === 0) return null;
  const overdue = plays.filter((p) => p.overdue).length;
  const more = work.data.next_cursor ? "+" : "";
  return (
    <p className={`work-strip${overdue ? " has-overdue" : ""}`} data-testid="work-strip">
      <span>
        You have <strong>{`${count(plays.length)}${more}`}</strong> open play{plays.length === 1 ? "" : "s"}
        {overdue > 0 && (
          <>
            ,{" "}
            <strong className="late">
              {`${count(overdue)}${overdue === plays.length ? more : ""}`} overdue
            </strong>
          </>
        )}
        .
      </span>{" "}
      <Link to="/work">Go to My work →</Link>
    </p>
  );
}
