import { useState } from "react";
import { Async, Panel } from "../components/states";
import { query } from "../lib/api";
import { arr, count, day, signed } from "../lib/format";
import { Link, navigate, useLocation } from "../lib/router";
import {
  isSignalKind,
  type KindSummary,
  SIGNAL_KINDS,
  SIGNAL_TITLES,
  type SignalPage,
  type SignalSummary,
} from "../lib/signals";
import { useApi } from "../lib/use-api";
import { SignalCard } from "./signal-evidence";
import { Landscape } from "./signals-landscape";

function change(now: number, then: number, when: string): string {
  const d = now - then;
  return d === 0 ? `no change since ${when}` : `${signed(d)} since ${when}`;
}

/** Accounts and ARR with an active signal of one kind, and how that moved over 30 and 90 days. */
function KindTile({ k }: { k: KindSummary }) {
  return (
    <div
      className={`tile static signal-tile signal-tile-${k.kind}`}
      data-testid={`signal-tile-${k.kind}`}
      data-accounts={k.accounts}
    >
      <span className="tile-label">{SIGNAL_TITLES[k.kind]}</span>
      <span className="tile-value">{count(k.accounts)}</span>
      <span className="tile-sub">
        {k.accounts === 1 ? "account" : "accounts"} · ARR {arr(k.arr)}
      </span>
      <span className={`tile-delta ${k.accounts > k.accounts_30d_ago ? "up" : ""}`} data-testid="trend-30">
        {change(k.accounts, k.accounts_30d_ago, "30 days ago")}
      </span>
      <span className="tile-delta" data-testid="trend-90">
        {change(k.accounts, k.accounts_90d_ago, "90 days ago")}
      </span>
      {k.accounts > 0 && (
        <Link to={`/?signal=${k.kind}`} className="tile-link">
          See the accounts →
        </Link>
      )}
    </div>
  );
}

/** One page of recent signals; the last page offers the next. */
function RecentChunk({
  kind,
  cursor,
  last,
  onMore,
}: {
  kind: string;
  cursor: string;
  last: boolean;
  onMore: (cursor: string) => void;
}) {
  const page = useApi<SignalPage>(`/api/v1/signals${query({ kind, limit: 20, cursor })}`);
  return (
    <Async value={page} what="recent signals" height={80}>
      {(p) => (
        <>
          {p.items.length === 0 && cursor === "" && (
            <p className="muted" data-testid="no-recent-signals">
              No active signal{kind ? " of this kind" : ""}.
            </p>
          )}
          {p.items.map((s) => (
            <SignalCard key={s.id} s={s} showAccount />
          ))}
          {last && p.next_cursor && (
            <button
              type="button"
              className="button"
              onClick={() => p.next_cursor && onMore(p.next_cursor)}
              data-testid="more-signals"
            >
              Show older signals
            </button>
          )}
        </>
      )}
    </Async>
  );
}

function Recent({ kind }: { kind: string }) {
  const [cursors, setCursors] = useState<string[]>([""]);
  return (
    <div className="signals-list" data-testid="recent-signals">
      {cursors.map((c, i) => (
        <RecentChunk
          key={c}
          kind={kind}
          cursor={c}
          last={i === cursors.length - 1}
          onMore={(next) => setCursors((cs) => [...cs, next])}
        />
      ))}
    </div>
  );
}

export function SignalsPage() {
  const { params } = useLocation();
  const raw = params.get("kind") ?? "";
  const kind = isSignalKind(raw) ? raw : "";
  const summary = useApi<SignalSummary>("/api/v1/signals/summary");
  return (
    <div className="page signals-page">
      <div className="page-head">
        <h1>Signals</h1>
        <p className="muted">
          Early warnings a usage score misses: competitors named, parity asked for, alternatives evaluated,
          stakeholders gone quiet, champions leaving, friction in renewals.
        </p>
      </div>
      <Async value={summary} what="the signals" height={140}>
        {(s) => (
          <>
            <p className="signals-total" data-testid="signals-total">
              {s.total.accounts === 0
                ? "No account has an active signal."
                : `${count(s.total.accounts)} ${s.total.accounts === 1 ? "account has" : "accounts have"} an active signal (ARR ${arr(s.total.arr)}), as of ${day(s.as_of)}.`}
            </p>
            <div className="tiles signal-tiles" data-testid="signal-tiles">
              {s.kinds.map((k) => (
                <KindTile key={k.kind} k={k} />
              ))}
            </div>
            <Panel title="Competitive landscape" id="landscape">
              <p className="muted small">
                The competitors named in tickets, notes, surveys and lost deals since {day(s.landscape.since)}
                , most accounts first.
              </p>
              <Landscape competitors={s.landscape.competitors} since={s.landscape.since} />
            </Panel>
          </>
        )}
      </Async>
      <Panel
        title="Recent signals"
        id="recent-signals"
        aside={
          <select
            aria-label="Signal kind"
            value={kind}
            onChange={(e) => navigate(`/signals${query({ kind: e.target.value })}`, { replace: true })}
            data-testid="recent-kind"
          >
            <option value="">Every kind</option>
            {SIGNAL_KINDS.map((k) => (
              <option key={k} value={k}>
                {SIGNAL_TITLES[k]}
              </option>
            ))}
          </select>
        }
      >
        <Recent key={kind} kind={kind} />
      </Panel>
    </div>
  );
}
