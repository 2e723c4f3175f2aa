import { useEffect, useRef } from "react";
import { BandLegend, Histogram } from "../charts/histogram";
import { Async, Panel } from "../components/states";
import { BAND_STYLE, BANDS } from "../lib/bands";
import { arr, count, day, month, signed } from "../lib/format";
import { navigate, useLocation } from "../lib/router";
import { useUser } from "../lib/session";
import type { Histogram as HistogramData, Portfolio } from "../lib/types";
import { useApi } from "../lib/use-api";
import { WorkStrip } from "./my-work";
import { filtersUrl, readFilters } from "./portfolio-filters";
import { AccountTable } from "./portfolio-table";

/** Accounts and ARR per band now, and the change since the last monthly snapshot. */
function BandTiles({
  p,
  selected,
  onToggle,
}: {
  p: Portfolio;
  selected: string[];
  onToggle: (band: string) => void;
}) {
  const now = new Map(p.bands.map((b) => [b.band, b]));
  const delta = (band: string) => {
    let n = 0;
    let a = 0;
    for (const m of p.movement.moves) {
      if (m.to === band) {
        n += m.accounts;
        a += m.arr;
      }
      if (m.from === band) {
        n -= m.accounts;
        a -= m.arr;
      }
    }
    return { n, a };
  };
  const since = p.movement.since ? month(p.movement.since) : null;
  const shown = [...BANDS, ...(now.get("unscored")?.accounts ? ["unscored" as const] : [])];
  return (
    <div className="tiles" data-testid="band-tiles">
      {shown.map((band) => {
        const s = BAND_STYLE[band];
        const b = now.get(band) ?? { accounts: 0, arr: 0 };
        const d = delta(band);
        const active = selected.includes(band);
        return (
          <button
            type="button"
            key={band}
            className={`tile${active ? " active" : ""}`}
            style={{ borderTopColor: s.fill }}
            aria-pressed={active}
            disabled={band === "unscored"}
            onClick={() => onToggle(band)}
            data-testid={`band-tile-${band}`}
            data-accounts={b.accounts}
            title={band === "unscored" ? undefined : `Show only ${s.label.toLowerCase()} accounts`}
          >
            <span className="tile-label">
              <span className="swatch" style={{ background: s.fill }} aria-hidden="true" />
              {s.label}
            </span>
            <span className="tile-value">{count(b.accounts)}</span>
            <span className="tile-sub">accounts · ARR {arr(b.arr)}</span>
            <span className={`tile-delta ${d.n > 0 ? "up" : d.n < 0 ? "down" : ""}`}>
              {since === null
                ? "no earlier month"
                : d.n === 0
                  ? `no change since ${since}`
                  : `${signed(d.n)} since ${since} (ARR ${d.a >= 0 ? "+" : "−"}${arr(Math.abs(d.a))})`}
            </span>
          </button>
        );
      })}
    </div>
  );
}

export function PortfolioPage() {
  const { params } = useLocation();
  const user = useUser();
  const filters = readFilters(params, user.role === "leader" ? "team" : "all");
  const portfolio = useApi<Portfolio>("/api/v1/portfolio");
  const histogram = useApi<HistogramData>("/api/v1/insights/score-histogram?bucket=5");
  const marked = useRef(false);
  useEffect(() => {
    if (!marked.current && portfolio.status === "ok" && histogram.status === "ok") {
      // The bench and the browser test read this to time the first render.
      performance.mark("keepwell:portfolio-summary");
      marked.current = true;
    }
  }, [portfolio.status, histogram.status]);

  const toggleBand = (band: string) => {
    const bands = filters.bands.includes(band as never)
      ? filters.bands.filter((b) => b !== band)
      : [...filters.bands, band as (typeof filters.bands)[number]];
    navigate(filtersUrl({ ...filters, bands, cursor: "", page: 1 }));
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1>Portfolio</h1>
        {portfolio.data?.as_of && (
          <p className="muted">
            Scores as of {day(portfolio.data.as_of)} · scorecard version {portfolio.data.scorecard_version}
          </p>
        )}
      </div>
      <WorkStrip />
      <Async value={portfolio} what="the portfolio" height={120}>
        {(p) =>
          p.bands.length === 0 ? (
            <div className="state state-empty">
              No accounts yet. Import some with <code>keepwell import</code> or try <code>keepwell demo</code>
              .
            </div>
          ) : p.as_of === null ? (
            <div className="state state-empty">
              Accounts are in, but nothing is scored yet: run <code>keepwell score</code>.
            </div>
          ) : (
            <BandTiles p={p} selected={filters.bands} onToggle={toggleBand} />
          )
        }
      </Async>
      <Panel title="Score distribution" aside={<BandLegend />} id="distribution">
        <Async value={histogram} what="the score distribution" height={190}>
          {(h) =>
            h.buckets.every((b) => b.accounts === 0) ? (
              <div className="state state-empty">No scored accounts yet.</div>
            ) : (
              <Histogram data={h} />
            )
          }
        </Async>
      </Panel>
      <AccountTable filters={filters} portfolio={portfolio.data} thresholds={histogram.data?.thresholds} />
    </div>
  );
}
