import { type ReactNode, useEffect, useRef, useState } from "react";
import { Sparkline } from "../charts/sparkline";
import { BandBadge, Completeness, Score, Trend } from "../components/band";
import { Async, Panel } from "../components/states";
import { BAND_STYLE, BANDS } from "../lib/bands";
import { day, daysUntil, money, percent, relativeDays, segment } from "../lib/format";
import { Link, navigate } from "../lib/router";
import { useUser } from "../lib/session";
import type { AccountListRow, Page, Portfolio, Sparklines, Thresholds } from "../lib/types";
import { useApi, useDebounced } from "../lib/use-api";
import { PlayBadge } from "./play-card";
import {
  accountsUrl,
  type Book,
  DEFAULT_SORT,
  type Filters,
  filtersUrl,
  isFiltered,
  RENEWAL_WINDOWS,
  resultKey,
} from "./portfolio-filters";
import { SignalFilter } from "./portfolio-signal-filter";

/** Cursors of the pages seen, per result set, so Previous works without the server counting. */
const cursorTrail = new Map<string, string[]>();

const COLUMNS: { key: string; label: string; sort?: string; firstDesc?: boolean; className?: string }[] = [
  { key: "name", label: "Account", sort: "name" },
  { key: "owner", label: "Owner", sort: "owner" },
  { key: "segment", label: "Segment", sort: "segment" },
  { key: "arr", label: "ARR", sort: "arr", firstDesc: true, className: "num" },
  { key: "score", label: "Score", sort: "score", className: "num" },
  { key: "trend", label: "30 d", sort: "trend_30d", firstDesc: true, className: "num" },
  { key: "spark", label: "12 months" },
  { key: "band", label: "Band", sort: "band" },
  { key: "churn", label: "Churn risk", sort: "churn_probability", firstDesc: true, className: "num" },
  { key: "renewal", label: "Renewal", sort: "renewal_date" },
  { key: "completeness", label: "Data", sort: "completeness", firstDesc: true },
];

function SortHeader({
  col,
  sort,
  onSort,
}: {
  col: (typeof COLUMNS)[number];
  sort: string;
  onSort: (s: string) => void;
}) {
  if (!col.sort) return <th scope="col">{col.label}</th>;
  const active = sort.replace(/^-/, "") === col.sort;
  const desc = sort.startsWith("-");
  const next = active ? (desc ? col.sort : `-${col.sort}`) : col.firstDesc ? `-${col.sort}` : col.sort;
  return (
    <th
      scope="col"
      className={col.className}
      aria-sort={active ? (desc ? "descending" : "ascending") : "none"}
    >
      <button type="button" className="sort" onClick={() => onSort(next)} data-sort={col.sort}>
        {col.label}
        <span aria-hidden="true" className={active ? "sort-mark on" : "sort-mark"}>
          {active ? (desc ? "▼" : "▲") : "↕"}
        </span>
      </button>
    </th>
  );
}

function FilterBar({
  f,
  portfolio,
  set,
  churn,
  leader,
}: {
  f: Filters;
  portfolio?: Portfolio;
  set: (next: Partial<Filters>) => void;
  /** A churn model has made predictions: offer its flag as a filter. */
  churn: boolean;
  leader: boolean;
}) {
  const [text, setText] = useState(f.q);
  const q = useDebounced(text, 300);
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a settled search term changes the URL
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (q !== f.q) set({ q });
  }, [q]);
  useEffect(() => setText((t) => (t.trim() === f.q.trim() ? t : f.q)), [f.q]);
  const toggle = (b: (typeof BANDS)[number]) =>
    set({ bands: f.bands.includes(b) ? f.bands.filter((x) => x !== b) : [...f.bands, b] });
  const active = isFiltered(f);
  return (
    <search className="filters">
      <BookPicker f={f} set={set} leader={leader} />
      <input
        type="search"
        placeholder="Search by name"
        aria-label="Search accounts by name"
        value={text}
        onChange={(e) => setText(e.target.value)}
        className="search"
      />
      <fieldset className="band-filter">
        <legend className="sr-only">Bands</legend>
        {BANDS.map((b) => (
          <button
            type="button"
            key={b}
            className="chip"
            aria-pressed={f.bands.includes(b)}
            onClick={() => toggle(b)}
            data-testid={`filter-band-${b}`}
            style={
              f.bands.includes(b)
                ? {
                    background: BAND_STYLE[b].fill,
                    color: BAND_STYLE[b].text,
                    borderColor: BAND_STYLE[b].fill,
                  }
                : undefined
            }
          >
            <span className="swatch" style={{ background: BAND_STYLE[b].fill }} aria-hidden="true" />
            {BAND_STYLE[b].label}
          </button>
        ))}
      </fieldset>
      <select aria-label="Segment" value={f.segment} onChange={(e) => set({ segment: e.target.value })}>
        <option value="">All segments</option>
        {portfolio?.segments.map((s) => (
          <option key={s.segment} value={s.segment}>
            {segment(s.segment)}
          </option>
        ))}
      </select>
      <select aria-label="Owner" value={f.owner} onChange={(e) => set({ owner: e.target.value })}>
        <option value="">All owners</option>
        {portfolio?.owners.map((o) => (
          <option key={o.owner} value={o.owner}>
            {o.owner}
          </option>
        ))}
      </select>
      <select
        aria-label="Renewal window"
        value={f.renewal}
        onChange={(e) => set({ renewal: e.target.value })}
      >
        {RENEWAL_WINDOWS.map((w) => (
          <option key={w.value} value={w.value}>
            {w.label}
          </option>
        ))}
      </select>
      {f.renewal === "custom" && (
        <span className="date-range">
          <input
            type="date"
            aria-label="Renews on or after"
            value={f.from}
            onChange={(e) => set({ from: e.target.value })}
          />
          –
          <input
            type="date"
            aria-label="Renews on or before"
            value={f.to}
            onChange={(e) => set({ to: e.target.value })}
          />
        </span>
      )}
      {(churn || f.flagged) && (
        <select aria-label="Churn flag" value={f.flagged} onChange={(e) => set({ flagged: e.target.value })}>
          <option value="">Flagged or not</option>
          <option value="yes">Flagged for churn</option>
          <option value="no">Not flagged</option>
        </select>
      )}
      <SignalFilter value={f.signal} onChange={(signal) => set({ signal })} />
      <select aria-label="Status" value={f.status} onChange={(e) => set({ status: e.target.value })}>
        <option value="active">Active accounts</option>
        <option value="churned">Churned accounts</option>
        <option value="all">All accounts</option>
      </select>
      {active ? (
        <button
          type="button"
          className="button link"
          onClick={() =>
            set({
              bands: [],
              segment: "",
              owner: "",
              renewal: "",
              from: "",
              to: "",
              q: "",
              flagged: "",
              signal: "",
              status: "active",
            })
          }
        >
          Clear filters
        </button>
      ) : null}
    </search>
  );
}

function Owner({ a }: { a: AccountListRow }) {
  if (!a.owner) return <span className="muted">—</span>;
  if (!a.owner_user) return <span className="owner unresolved-owner">{a.owner}</span>;
  return (
    <span
      className="owner"
      data-owner-user={a.owner_user.id}
      title={
        a.owner === a.owner_user.name ? a.owner_user.email : `${a.owner} in the data · ${a.owner_user.email}`
      }
    >
      {a.owner_user.name}
    </span>
  );
}

const BOOK_LABEL: Record<Book, string> = { all: "All accounts", mine: "My accounts", team: "My team" };

/** Whose accounts the table lists: everyone's, mine, or (for a leader) my team's. */
function BookPicker({
  f,
  set,
  leader,
}: {
  f: Filters;
  set: (next: Partial<Filters>) => void;
  leader: boolean;
}) {
  const books: Book[] = leader || f.book === "team" ? ["all", "mine", "team"] : ["all", "mine"];
  return (
    <fieldset className="book-picker segmented">
      <legend className="sr-only">Whose accounts</legend>
      {books.map((b) => (
        <button
          type="button"
          key={b}
          aria-pressed={f.book === b}
          onClick={() => set({ book: b })}
          data-testid={`book-${b}`}
        >
          {BOOK_LABEL[b]}
        </button>
      ))}
    </fieldset>
  );
}

function Renewal({ date }: { date: string | null }) {
  if (!date) return <span className="muted">—</span>;
  const n = daysUntil(date);
  return (
    <span className={n >= 0 && n <= 90 ? "renewal soon" : "renewal"}>
      {day(date)}
      <small>{relativeDays(date)}</small>
    </span>
  );
}

function Rows({
  rows,
  sparks,
  thresholds,
  showChurn,
}: {
  rows: AccountListRow[];
  sparks?: Sparklines;
  thresholds: Thresholds;
  showChurn: boolean;
}) {
  const byId = new Map(sparks?.data.map((d) => [d.account, d.scores]));
  return (
    <>
      {rows.map((a) => {
        const cells: Record<string, ReactNode> = {
          name: (
            <>
              <Link to={`/accounts/${encodeURIComponent(a.id)}`} className="account-link">
                {a.name}
              </Link>
              {a.status === "churned" && <span className="tag">churned</span>}
              {a.open_play && (
                <span className="open-play-mark">
                  <PlayBadge name={a.open_play.name} tier={a.open_play.tier} overdue={a.open_play.overdue} />
                </span>
              )}
            </>
          ),
          owner: <Owner a={a} />,
          segment: segment(a.segment),
          arr: money(a.arr, a.currency),
          score: <Score score={a.score} band={a.band} />,
          trend: <Trend value={a.trend_30d} />,
          spark: byId.has(a.id) ? (
            <Sparkline
              values={byId.get(a.id) ?? []}
              thresholds={thresholds}
              label={`${a.name}, monthly scores then now`}
              current={{ score: a.score, band: a.band }}
            />
          ) : (
            <span className="spark-placeholder" aria-hidden="true" />
          ),
          band: <BandBadge band={a.band} small />,
          churn:
            a.churn_probability === null ? (
              <span className="muted">—</span>
            ) : (
              <span className="churn-risk">
                {a.churn_flagged && (
                  <span className="tag flagged" title="Flagged by the churn model">
                    flagged
                  </span>
                )}
                {percent(a.churn_probability)}
              </span>
            ),
          renewal: <Renewal date={a.renewal_date} />,
          completeness: <Completeness value={a.completeness} />,
        };
        return (
          <tr key={a.id} data-testid="account-row" data-band={a.band ?? "unscored"} data-id={a.id}>
            {COLUMNS.filter((c) => showChurn || c.key !== "churn").map((c) => (
              <td key={c.key} className={c.className}>
                {cells[c.key]}
              </td>
            ))}
          </tr>
        );
      })}
    </>
  );
}

export function AccountTable({
  filters,
  portfolio,
  thresholds,
}: {
  filters: Filters;
  portfolio?: Portfolio;
  thresholds?: Thresholds;
}) {
  const page = useApi<Page<AccountListRow>>(accountsUrl(filters));
  const ids = page.status === "ok" ? page.data.data.map((a) => a.id) : [];
  const sparks = useApi<Sparklines>(
    ids.length
      ? `/api/v1/insights/sparklines?months=12&accounts=${ids.map(encodeURIComponent).join(",")}`
      : null,
  );
  const key = resultKey(filters);
  const marked = useRef(false);
  useEffect(() => {
    if (!marked.current && page.status === "ok") {
      performance.mark("keepwell:portfolio-table");
      marked.current = true;
    }
  }, [page.status]);

  const set = (next: Partial<Filters>) =>
    navigate(filtersUrl({ ...filters, ...next, cursor: "", page: 1 }), { replace: "q" in next });
  const goNext = (cursor: string) => {
    const trail = cursorTrail.get(key) ?? [];
    trail[filters.page - 1] = filters.cursor;
    cursorTrail.set(key, trail);
    navigate(filtersUrl({ ...filters, cursor, page: filters.page + 1 }));
  };
  const goPrev = () => {
    const prev = cursorTrail.get(key)?.[filters.page - 2];
    navigate(filtersUrl({ ...filters, cursor: prev ?? "", page: prev === undefined ? 1 : filters.page - 1 }));
  };
  const t = thresholds ?? { healthy: 75, watch: 60 };
  const rows = page.data?.data ?? [];
  const filtered = isFiltered(filters);
  const showChurn = rows.some((r) => r.churn_probability !== null);
  const first = (filters.page - 1) * filters.limit + 1;
  const leader = useUser().role === "leader";
  const title =
    filters.book === "mine" ? "My accounts" : filters.book === "team" ? "My team's accounts" : "Accounts";
  return (
    <Panel title={title} id="accounts">
      <FilterBar f={filters} portfolio={portfolio} set={set} churn={showChurn} leader={leader} />
      <Async value={page} what="accounts" height={300}>
        {(p) =>
          p.data.length === 0 ? (
            <div className="state state-empty" data-testid="no-accounts">
              {filtered
                ? "No accounts match these filters."
                : filters.book !== "all"
                  ? `No accounts are ${filters.book === "mine" ? "yours" : "your team's"} yet: an account is someone's when its owner is their email or their name, or when an admin maps its owner to them (Users → Account owners).`
                  : "No accounts yet."}
            </div>
          ) : (
            <>
              <div className="table-wrap">
                <table className="accounts" data-testid="accounts-table">
                  <thead>
                    <tr>
                      {COLUMNS.filter((c) => showChurn || c.key !== "churn").map((c) => (
                        <SortHeader
                          key={c.key}
                          col={c}
                          sort={filters.sort || DEFAULT_SORT}
                          onSort={(sort) => set({ sort })}
                        />
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    <Rows rows={p.data} sparks={sparks.data} thresholds={t} showChurn={showChurn} />
                  </tbody>
                </table>
              </div>
              <div className="pager">
                <span className="muted">
                  Showing {first}–{first + p.data.length - 1}
                  {p.next_cursor ? "" : " (the last page)"}
                </span>
                <select
                  aria-label="Rows per page"
                  value={filters.limit}
                  onChange={(e) =>
                    navigate(filtersUrl({ ...filters, limit: Number(e.target.value), cursor: "", page: 1 }))
                  }
                >
                  {[25, 50, 100].map((n) => (
                    <option key={n} value={n}>
                      {n} per page
                    </option>
                  ))}
                </select>
                <button type="button" className="button" disabled={filters.page <= 1} onClick={goPrev}>
                  ← Previous
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={!p.next_cursor}
                  onClick={() => p.next_cursor && goNext(p.next_cursor)}
                >
                  Next →
                </button>
              </div>
            </>
          )
        }
      </Async>
    </Panel>
  );
}
