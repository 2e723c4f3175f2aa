import { type ReactNode, useState } from "react";
import { WeekBars } from "../charts/week-bars";
import { ErrorState, Panel } from "../components/states";
import { ApiError, api } from "../lib/api";
import { arr, count, isoDate, percent, signed } from "../lib/format";
import type { SimulationReport } from "../lib/plays";

type Side = { report?: SimulationReport; error?: ApiError };
export type Simulation = { current: Side; edited?: Side; from: string; to: string };

const oneYearAgo = () => {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  return isoDate(d);
};

async function simulate(yaml: string, from: string, to: string): Promise<Side> {
  try {
    return {
      report: await api<SimulationReport>("/api/v1/playbooks/simulate", {
        method: "POST",
        body: { yaml, from, to },
      }),
    };
  } catch (err) {
    return { error: err instanceof ApiError ? err : new ApiError(String(err), 0, "client") };
  }
}

type Metric = {
  key: string;
  label: string;
  value: (r: SimulationReport) => number | null;
  show: (v: number, r: SimulationReport) => ReactNode;
  /** Whether more is better (for the change's colour); undefined: neither. */
  better?: "up" | "down";
  delta: (d: number) => string;
};

const num = (digits: number) => (v: number) => v.toFixed(digits);
const share = (d: number) => `${signed(d * 100, 0)} pts`;
const METRICS: Metric[] = [
  {
    key: "plays_opened",
    label: "Plays opened",
    value: (r) => r.plays_opened,
    show: (v) => count(v),
    delta: (d) => signed(d),
  },
  {
    key: "first_month_plays",
    label: "Opened at once (the backlog on switching on)",
    value: (r) => r.first_month_plays,
    show: (v) => count(v),
    delta: (d) => signed(d),
  },
  {
    key: "plays_per_week",
    label: "Plays per week",
    value: (r) => r.plays_per_week,
    show: num(1),
    delta: (d) => signed(d, 1),
  },
  {
    key: "plays_per_owner_per_week",
    label: "Plays per owner per week",
    value: (r) => r.plays_per_owner_per_week,
    show: num(2),
    delta: (d) => signed(d, 2),
  },
  {
    key: "churners_reached",
    label: "Churners reached",
    value: (r) => r.churners_reached_share,
    show: (v, r) => `${percent(v)} (${count(r.churners_reached)} of ${count(r.churners)})`,
    better: "up",
    delta: share,
  },
  {
    key: "churners_reached_60d",
    label: "Churners reached ≥ 60 days ahead",
    value: (r) => r.churners_reached_60d_share,
    show: (v) => percent(v),
    better: "up",
    delta: share,
  },
  {
    key: "churners_reached_90d",
    label: "Churners reached ≥ 90 days ahead",
    value: (r) => r.churners_reached_90d_share,
    show: (v) => percent(v),
    better: "up",
    delta: share,
  },
  {
    key: "median_days_ahead",
    label: "Median days ahead of churn",
    value: (r) => r.median_days_ahead,
    show: (v) => `${Math.round(v)} days`,
    better: "up",
    delta: (d) => `${signed(d, 0)} days`,
  },
  {
    key: "plays_on_churners",
    label: "Plays on accounts that churned (within 90 days)",
    value: (r) => r.plays_on_churners_share,
    show: (v) => percent(v),
    better: "up",
    delta: share,
  },
  {
    key: "arr_covered",
    label: "ARR covered",
    value: (r) => r.arr_covered_share,
    show: (v, r) => `${percent(v)} (${arr(r.arr_covered)} of ${arr(r.arr_total)})`,
    better: "up",
    delta: share,
  },
];

function Cell({ m, r }: { m: Metric; r?: SimulationReport }) {
  if (!r) return <span className="muted">—</span>;
  const v = m.value(r);
  return v === null || v === undefined ? <span className="muted">—</span> : m.show(v, r);
}

function Change({ m, a, b }: { m: Metric; a?: SimulationReport; b?: SimulationReport }) {
  const x = a ? m.value(a) : null;
  const y = b ? m.value(b) : null;
  if (x === null || y === null || x === undefined || y === undefined) return <span className="muted">—</span>;
  const d = y - x;
  if (Math.abs(d) < 1e-9) return <span className="muted">same</span>;
  const good = m.better === undefined ? undefined : d > 0 === (m.better === "up");
  return <span className={good === undefined ? "" : good ? "change-good" : "change-bad"}>{m.delta(d)}</span>;
}

/** Owners (or playbooks) of either side, each with both sides' figures. */
function merge<T>(a: T[] | undefined, b: T[] | undefined, key: (t: T) => string) {
  const rows = new Map<string, { a?: T; b?: T }>();
  for (const t of a ?? []) rows.set(key(t), { ...rows.get(key(t)), a: t });
  for (const t of b ?? []) rows.set(key(t), { ...rows.get(key(t)), b: t });
  return [...rows.entries()];
}

function SideHeads({ both, first }: { both: boolean; first: string }) {
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        <th scope="col" className="num">
          Current
        </th>
        {both && (
          <th scope="col" className="num">
            Edited
          </th>
        )}
      </tr>
    </thead>
  );
}

function Report({ sim }: { sim: Simulation }) {
  const cur = sim.current.report;
  const ed = sim.edited?.report;
  const both = sim.edited !== undefined;
  const owners = merge(cur?.per_owner, ed?.per_owner, (o) => o.owner?.id ?? "");
  owners.sort((x, y) => (y[1].b?.plays ?? y[1].a?.plays ?? 0) - (x[1].b?.plays ?? x[1].a?.plays ?? 0));
  const playbooks = merge(cur?.per_playbook, ed?.per_playbook, (p) => p.playbook);
  const names = new Map(playbooks.map(([k, { a, b }]) => [k, (b ?? a)?.name ?? k]));
  const weeksMax = Math.max(
    0,
    ...(cur?.per_week ?? []).map((w) => w.plays),
    ...(ed?.per_week ?? []).map((w) => w.plays),
  );
  return (
    <div className="simulation" data-testid="sim-result">
      {sim.current.error && <ErrorState error={sim.current.error} what="simulate the current playbooks" />}
      {sim.edited?.error && <ErrorState error={sim.edited.error} what="simulate the edited playbooks" />}
      <p className="muted small">
        {(cur ?? ed)
          ? `${count((cur ?? ed)!.accounts)} accounts, ${count((cur ?? ed)!.weeks)} weeks from ${sim.from} to ${sim.to}.`
          : null}
      </p>
      <div className="table-wrap">
        <table className="sim-table">
          <thead>
            <tr>
              <th scope="col">Over the period</th>
              <th scope="col" className="num">
                Current
              </th>
              {both && (
                <>
                  <th scope="col" className="num">
                    Edited
                  </th>
                  <th scope="col" className="num">
                    Change
                  </th>
                </>
              )}
            </tr>
          </thead>
          <tbody>
            {METRICS.map((m) => (
              <tr key={m.key} data-testid="sim-metric" data-metric={m.key}>
                <th scope="row">{m.label}</th>
                <td className="num" data-testid="sim-current">
                  <Cell m={m} r={cur} />
                </td>
                {both && (
                  <>
                    <td className="num" data-testid="sim-edited">
                      <Cell m={m} r={ed} />
                    </td>
                    <td className="num">
                      <Change m={m} a={cur} b={ed} />
                    </td>
                  </>
                )}
              </tr>
            ))}
            <tr>
              <th scope="row">Plays each week</th>
              <td className="num">
                <WeekBars
                  weeks={(cur?.per_week ?? []).map((w) => w.plays)}
                  label="Current"
                  max={weeksMax}
                  width={160}
                />
              </td>
              {both && (
                <>
                  <td className="num">
                    <WeekBars
                      weeks={(ed?.per_week ?? []).map((w) => w.plays)}
                      label="Edited"
                      max={weeksMax}
                      width={160}
                    />
                  </td>
                  <td />
                </>
              )}
            </tr>
          </tbody>
        </table>
      </div>
      <div className="grid-2">
        <div>
          <h3 className="subhead">Load per owner (plays per week)</h3>
          <table className="sim-table" data-testid="sim-owners">
            <SideHeads both={both} first="Owner" />
            <tbody>
              {owners.map(([k, { a, b }]) => (
                <tr key={k}>
                  <th scope="row">{(a ?? b)?.owner?.name ?? "No owner"}</th>
                  <td className="num">{a ? a.per_week.toFixed(2) : "—"}</td>
                  {both && <td className="num">{b ? b.per_week.toFixed(2) : "—"}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h3 className="subhead">Plays per playbook</h3>
          <table className="sim-table" data-testid="sim-playbooks">
            <SideHeads both={both} first="Playbook" />
            <tbody>
              {playbooks.map(([k, { a, b }]) => (
                <tr key={k}>
                  <th scope="row" title={k}>
                    {names.get(k)}
                  </th>
                  <td className="num">{a ? count(a.plays) : "—"}</td>
                  {both && <td className="num">{b ? count(b.plays) : "—"}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}

/**
 * The simulator: the playbooks run over the stored monthly score history,
 * point in time, without opening plays; the edited file beside the current one.
 */
export function SimulatePanel({ edited, current }: { edited: string; current: string }) {
  const [from, setFrom] = useState(oneYearAgo);
  const [to, setTo] = useState(() => isoDate(new Date()));
  const [state, setState] = useState<{ running: boolean; sim?: Simulation }>({ running: false });
  const run = async () => {
    setState((s) => ({ ...s, running: true }));
    const changed = edited !== current;
    const [c, e] = await Promise.all([
      simulate(current, from, to),
      changed ? simulate(edited, from, to) : Promise.resolve(undefined),
    ]);
    setState({ running: false, sim: { current: c, edited: e, from, to } });
  };
  return (
    <Panel
      title="Simulate"
      id="simulate"
      aside={
        <div className="row-actions">
          <label className="inline-label">
            From{" "}
            <input
              type="date"
              value={from}
              max={to}
              onChange={(e) => setFrom(e.target.value)}
              data-testid="sim-from"
            />
          </label>
          <label className="inline-label">
            To{" "}
            <input
              type="date"
              value={to}
              min={from}
              onChange={(e) => setTo(e.target.value)}
              data-testid="sim-to"
            />
          </label>
          <button
            type="button"
            className="button primary"
            onClick={run}
            disabled={state.running}
            data-testid="playbooks-simulate"
          >
            {state.running ? "Simulating…" : edited !== current ? "Simulate both" : "Simulate"}
          </button>
        </div>
      }
    >
      <p className="muted small">
        Runs the playbooks over the stored monthly scores, as they were at each point in time, and opens no
        play: what a change costs in plays per week, and how many accounts that later churned it would have
        reached.
        {edited !== current ? " The edited file is shown beside the current one." : ""}
      </p>
      {state.running && (
        <div className="state state-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          Simulating…
        </div>
      )}
      {state.sim && !state.running && <Report sim={state.sim} />}
    </Panel>
  );
}
