import { day, percent } from "../lib/format";
import type { BacktestSide, LeadAtPrecision, ModelReport, ModelVersionSummary } from "../lib/types";

/** The churn model page's tables: model beside scorecard, the precision trade-off, every training. */

export const fixed = (x: number | null, digits: number) => (x === null ? "—" : x.toFixed(digits));
const days = (x: number | null) => (x === null ? "—" : `${Math.round(x)} days`);

interface Measure {
  key: string;
  label: string;
  hint: string;
  value: (s: BacktestSide) => number | null;
  /** How the value reads ("—" when missing). */
  format: (x: number | null) => string;
  /** Which side is better when both have a value: 1 higher, −1 lower. */
  better: 1 | -1;
}

const MEASURES: Measure[] = [
  {
    key: "lead_60",
    label: "Churners warned 60+ days ahead",
    hint: "flagged at least 60 days before they left, and still flagged when they did",
    value: (s) => s.lead_60_share,
    format: percent,
    better: 1,
  },
  {
    key: "lead_90",
    label: "Churners warned 90+ days ahead",
    hint: "the same, at least 90 days before",
    value: (s) => s.lead_90_share,
    format: percent,
    better: 1,
  },
  {
    key: "median_lead",
    label: "Median warning",
    hint: "of the churners flagged when they left",
    value: (s) => s.median_lead_days,
    format: days,
    better: 1,
  },
  {
    key: "precision",
    label: "Flags that were right",
    hint: "precision: of the flagged observations, the share that churned within the horizon",
    value: (s) => s.precision,
    format: percent,
    better: 1,
  },
  {
    key: "recall",
    label: "Churn that was flagged",
    hint: "recall: of the observations followed by churn within the horizon, the share flagged",
    value: (s) => s.recall,
    format: percent,
    better: 1,
  },
  {
    key: "auc",
    label: "ROC AUC",
    hint: "how well it ranks churners above the rest (0.5 is chance, 1 is perfect)",
    value: (s) => s.auc,
    format: (x) => fixed(x, 3),
    better: 1,
  },
  {
    key: "pr_auc",
    label: "PR AUC",
    hint: "precision averaged over every threshold",
    value: (s) => s.pr_auc,
    format: (x) => fixed(x, 3),
    better: 1,
  },
  {
    key: "lift",
    label: "Top-decile lift",
    hint: "how many times the average churn rate the riskiest tenth holds",
    value: (s) => s.top_decile_lift,
    format: (x) => (x === null ? "—" : `${x.toFixed(1)}×`),
    better: 1,
  },
  {
    key: "brier",
    label: "Brier score",
    hint: "mean squared error of the probability (lower is better)",
    value: (s) => s.brier,
    format: (x) => fixed(x, 4),
    better: -1,
  },
];

function winner(m: Measure, model: BacktestSide, scorecard: BacktestSide): "model" | "scorecard" | null {
  const a = m.value(model);
  const b = m.value(scorecard);
  if (a === null || b === null || a === b) return null;
  return (a - b) * m.better > 0 ? "model" : "scorecard";
}

export function Compare({ r }: { r: ModelReport }) {
  const scorecardName = `${r.scorecard.name}${r.scorecard.version === null ? "" : ` v${r.scorecard.version}`}`;
  return (
    <div className="table-wrap">
      <table className="model-compare" data-testid="model-compare">
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col" className="num">
              Churn model
            </th>
            <th scope="col" className="num">
              Scorecard ({scorecardName})
            </th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Flag</th>
            <td className="num">
              {r.model.flag_threshold === null
                ? `none reached ${percent(r.model.flag_min_precision)} precision`
                : `probability ≥ ${percent(r.model.flag_threshold, 1)}`}
            </td>
            <td className="num">{r.scorecard.flag_rule.replace("at_risk", "at risk")}</td>
          </tr>
          {MEASURES.map((m) => {
            const best = winner(m, r.model, r.scorecard);
            return (
              <tr key={m.key} data-testid={`compare-${m.key}`}>
                <th scope="row">
                  {m.label}
                  <div className="muted small">{m.hint}</div>
                </th>
                <td className={best === "model" ? "num best" : "num"} data-value={m.value(r.model) ?? ""}>
                  {m.format(m.value(r.model))}
                </td>
                <td
                  className={best === "scorecard" ? "num best" : "num"}
                  data-value={m.value(r.scorecard) ?? ""}
                >
                  {m.format(m.value(r.scorecard))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function TradeOff({ rows, chosen }: { rows: LeadAtPrecision[]; chosen: number | null }) {
  return (
    <div className="table-wrap">
      <table data-testid="model-tradeoff">
        <thead>
          <tr>
            <th scope="col">Flags right at least</th>
            <th scope="col" className="num">
              Threshold
            </th>
            <th scope="col" className="num">
              Right
            </th>
            <th scope="col" className="num">
              Churn flagged
            </th>
            <th scope="col" className="num">
              Warned 60+ days
            </th>
            <th scope="col" className="num">
              Warned 90+ days
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((l) => (
            <tr
              key={l.min_precision}
              className={l.min_precision === chosen ? "chosen" : undefined}
              data-testid="tradeoff-row"
            >
              <th scope="row">
                {percent(l.min_precision)}
                {l.min_precision === chosen && <span className="tag">in use</span>}
              </th>
              <td className="num">{l.threshold === null ? "not reached" : percent(l.threshold, 1)}</td>
              <td className="num">{percent(l.precision)}</td>
              <td className="num">{percent(l.recall)}</td>
              <td className="num">{percent(l.lead_60_share)}</td>
              <td className="num">{percent(l.lead_90_share)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Versions({ versions }: { versions: ModelVersionSummary[] }) {
  return (
    <div className="table-wrap">
      <table data-testid="model-versions">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Trained</th>
            <th scope="col">Kind</th>
            <th scope="col" className="num">
              Horizon
            </th>
            <th scope="col" className="num">
              AUC (scorecard)
            </th>
            <th scope="col" className="num">
              Warned 60+ days (scorecard)
            </th>
            <th scope="col" className="num">
              Flags right (scorecard)
            </th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v, i) => (
            <tr key={v.version} className={i === 0 ? "chosen" : undefined}>
              <th scope="row">
                v{v.version}
                {i === 0 && <span className="tag">in use</span>}
              </th>
              <td>{day(v.created_at)}</td>
              <td>{v.kind}</td>
              <td className="num">{v.horizon_days} days</td>
              <td className="num">
                {fixed(v.model.auc, 3)} <span className="muted">({fixed(v.scorecard.auc, 3)})</span>
              </td>
              <td className="num">
                {percent(v.model.lead_60_share)}{" "}
                <span className="muted">({percent(v.scorecard.lead_60_share)})</span>
              </td>
              <td className="num">
                {percent(v.model.precision)} <span className="muted">({percent(v.scorecard.precision)})</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
