import { useState } from "react";
import { BandBar, BoxPlot, ScoreAxis } from "../charts/distribution";
import { BandLegend } from "../charts/histogram";
import { MovementBars, MovementMatrix } from "../charts/movement";
import { Async, Panel } from "../components/states";
import { BAND_STYLE } from "../lib/bands";
import { arr, count, month, raw, segment } from "../lib/format";
import type { GroupDistribution, Separation, Thresholds, Transition } from "../lib/types";
import { useApi } from "../lib/use-api";

/** How far apart the two groups' medians sit, as two dots on the metric's own scale. */
function Apart({ s }: { s: Separation }) {
  const h = s.healthy.median ?? 0;
  const r = s.at_risk.median ?? 0;
  const lo = Math.min(h, r, 0);
  const hi = Math.max(h, r, lo + 1e-9);
  const x = (v: number) => 6 + ((v - lo) / (hi - lo)) * 108;
  return (
    <svg width={120} height={18} role="img" aria-label={`healthy median ${raw(h)}, at-risk median ${raw(r)}`}>
      <line x1={6} x2={114} y1={9} y2={9} className="grid" />
      <line x1={x(h)} x2={x(r)} y1={9} y2={9} stroke="#94a3b8" strokeWidth={3} />
      <circle cx={x(r)} cy={9} r={5} fill={BAND_STYLE.at_risk.fill} />
      <circle cx={x(h)} cy={9} r={5} fill={BAND_STYLE.healthy.fill} />
    </svg>
  );
}

function SeparationTable({ rows }: { rows: Separation[] }) {
  const top = rows.slice(0, 12);
  return (
    <div className="table-wrap">
      <table className="separation" data-testid="separation">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col" className="num">
              Healthy (median)
            </th>
            <th scope="col" className="num">
              At risk (median)
            </th>
            <th scope="col">Apart</th>
            <th scope="col">Separates</th>
            <th scope="col">Healthy accounts have</th>
          </tr>
        </thead>
        <tbody>
          {top.map((s) => (
            <tr key={s.metric}>
              <td>{s.label}</td>
              <td className="num">{raw(s.healthy.median)}</td>
              <td className="num">{raw(s.at_risk.median)}</td>
              <td>
                <Apart s={s} />
              </td>
              <td>
                <span className="meter wide" title={`AUC ${s.auc.toFixed(2)}`}>
                  <span style={{ width: `${Math.round(s.separation * 100)}%`, background: "#334155" }} />
                </span>{" "}
                {Math.round(s.separation * 100)}%
              </td>
              <td className="muted">
                {s.direction === "higher_in_healthy"
                  ? "more"
                  : s.direction === "lower_in_healthy"
                    ? "less"
                    : "about the same"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Distribution({
  groups,
  thresholds,
  by,
}: {
  groups: GroupDistribution[];
  thresholds: Thresholds;
  by: string;
}) {
  if (groups.length === 0) return <div className="state state-empty">No scored accounts yet.</div>;
  return (
    <div className="table-wrap">
      <table className="distribution" data-testid={`distribution-${by}`}>
        <thead>
          <tr>
            <th scope="col">{by === "segment" ? "Segment" : "Owner"}</th>
            <th scope="col" className="num">
              Accounts
            </th>
            <th scope="col" className="num">
              ARR
            </th>
            <th scope="col" className="num">
              Median
            </th>
            <th scope="col">
              Scores (p10 · p25–p75 · p90)
              <ScoreAxis width={260} />
            </th>
            <th scope="col">Bands</th>
            <th scope="col" className="num">
              At risk or critical
            </th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.group}>
              <th scope="row">{by === "segment" ? segment(g.group) : g.group}</th>
              <td className="num">{count(g.accounts)}</td>
              <td className="num">{arr(g.arr)}</td>
              <td className="num">{g.median === null ? "—" : Math.round(g.median)}</td>
              <td>
                <BoxPlot g={g} thresholds={thresholds} width={260} />
              </td>
              <td>
                <BandBar bands={g.bands} width={180} />
              </td>
              <td className="num">
                {count(g.bands.at_risk + g.bands.critical)}{" "}
                <span className="muted">
                  ({Math.round(((g.bands.at_risk + g.bands.critical) / Math.max(1, g.accounts)) * 100)}%)
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Movement({ transitions, months }: { transitions: Transition[]; months: string[] }) {
  const steps = [...new Set(transitions.map((t) => t.to_month))].sort();
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const to = picked && steps.includes(picked) ? picked : steps[steps.length - 1];
  if (!to) {
    return <div className="state state-empty">Band movement needs at least two months of score history.</div>;
  }
  const shown = transitions.filter((t) => t.to_month === to);
  const from = shown[0]?.from_month ?? months[0] ?? to;
  return (
    <div className="movement">
      <MovementBars transitions={transitions} selected={to} onSelect={setPicked} />
      <div className="movement-pick">
        <label>
          Month{" "}
          <select
            value={to}
            onChange={(e) => setPicked(e.target.value)}
            aria-label="Month of the movement matrix"
          >
            {steps.map((s) => (
              <option key={s} value={s}>
                {month(s)}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">
          Rows: band on {month(from)}. Columns: band on {month(to)}. “New” accounts had no score the month
          before; “Left” ones have none now (churned).
        </span>
      </div>
      <MovementMatrix moves={shown} fromLabel={month(from)} toLabel={month(to)} />
    </div>
  );
}

export function SegmentsPage() {
  const separation = useApi<{ metrics: Separation[] }>("/api/v1/insights/separation");
  const bySegment = useApi<{ groups: GroupDistribution[]; thresholds: Thresholds }>(
    "/api/v1/insights/distributions?by=segment",
  );
  const byOwner = useApi<{ groups: GroupDistribution[]; thresholds: Thresholds }>(
    "/api/v1/insights/distributions?by=owner",
  );
  const movement = useApi<{ months: string[]; transitions: Transition[] }>(
    "/api/v1/insights/movement?months=12",
  );
  return (
    <div className="page">
      <div className="page-head">
        <h1>Segments and trends</h1>
        <p className="muted">
          How healthy and at-risk accounts differ, where scores sit, and how bands move month to month.
        </p>
      </div>
      <Panel title="What separates healthy from at-risk accounts" id="separation">
        <p className="muted small">
          Each metric's median among healthy accounts and among at-risk or critical ones, ranked by how well
          the metric alone tells the two groups apart (100% separates them completely, 0% not at all).
        </p>
        <Async value={separation} what="the metric comparison" height={200}>
          {(s) =>
            s.metrics.length === 0 ? (
              <div className="state state-empty">
                Needs a few healthy and a few at-risk accounts with scores.
              </div>
            ) : (
              <SeparationTable rows={s.metrics} />
            )
          }
        </Async>
      </Panel>
      <Panel title="Scores by segment" id="by-segment" aside={<BandLegend />}>
        <Async value={bySegment} what="scores by segment" height={120}>
          {(d) => <Distribution groups={d.groups} thresholds={d.thresholds} by="segment" />}
        </Async>
      </Panel>
      <Panel title="Scores by owner" id="by-owner" aside={<BandLegend />}>
        <Async value={byOwner} what="scores by owner" height={160}>
          {(d) => <Distribution groups={d.groups} thresholds={d.thresholds} by="owner" />}
        </Async>
      </Panel>
      <Panel title="Band movement, month over month" id="movement">
        <Async value={movement} what="the band movement" height={200}>
          {(m) => <Movement transitions={m.transitions} months={m.months} />}
        </Async>
      </Panel>
    </div>
  );
}
