import type { ReactNode } from "react";
import { Async, Empty, Panel } from "../components/states";
import { count, day, month, percent } from "../lib/format";
import type {
  BacktestSide,
  CalibrationBin,
  LeadAtPrecision,
  ModelReport,
  ModelVersionSummary,
} from "../lib/types";
import { useApi } from "../lib/use-api";

/**
 * The churn model's proof: how early and how accurately it would have warned
 * of the churn the history holds, beside the scorecard's bands, from the
 * latest training's backtest (GET /api/v1/model/report).
 */

const fixed = (x: number | null, digits: number) => (x === null ? "—" : x.toFixed(digits));
const days = (x: number | null) => (x === null ? "—" : `${Math.round(x)} days`);

interface Measure {
  key: string;
  label: string;
  hint: string;
  show: (s: BacktestSide) => string;
  value: (s: BacktestSide) => number | null;
  /** Which side is better when both have a value: 1 higher, −1 lower. */
  better: 1 | -1;
}

const MEASURES: Measure[] = [
  {
    key: "lead_60",
    label: "Churners warned 60+ days ahead",
    hint: "flagged at least 60 days before they left, and still flagged when they did",
    show: (s) => percent(s.lead_60_share),
    value: (s) => s.lead_60_share,
    better: 1,
  },
  {
    key: "lead_90",
    label: "Churners warned 90+ days ahead",
    hint: "the same, at least 90 days before",
    show: (s) => percent(s.lead_90_share),
    value: (s) => s.lead_90_share,
    better: 1,
  },
  {
    key: "median_lead",
    label: "Median warning",
    hint: "of the churners flagged when they left",
    show: (s) => days(s.median_lead_days),
    value: (s) => s.median_lead_days,
    better: 1,
  },
  {
    key: "precision",
    label: "Flags that were right",
    hint: "precision: of the flagged observations, the share that churned within the horizon",
    show: (s) => percent(s.precision),
    value: (s) => s.precision,
    better: 1,
  },
  {
    key: "recall",
    label: "Churn that was flagged",
    hint: "recall: of the observations followed by churn within the horizon, the share flagged",
    show: (s) => percent(s.recall),
    value: (s) => s.recall,
    better: 1,
  },
  {
    key: "auc",
    label: "ROC AUC",
    hint: "how well it ranks churners above the rest (0.5 is chance, 1 is perfect)",
    show: (s) => fixed(s.auc, 3),
    value: (s) => s.auc,
    better: 1,
  },
  {
    key: "pr_auc",
    label: "PR AUC",
    hint: "precision averaged over every threshold",
    show: (s) => fixed(s.pr_auc, 3),
    value: (s) => s.pr_auc,
    better: 1,
  },
  {
    key: "lift",
    label: "Top-decile lift",
    hint: "how many times the average churn rate the riskiest tenth holds",
    show: (s) => (s.top_decile_lift === null ? "—" : `${s.top_decile_lift.toFixed(1)}×`),
    value: (s) => s.top_decile_lift,
    better: 1,
  },
  {
    key: "brier",
    label: "Brier score",
    hint: "mean squared error of the probability (lower is better)",
    show: (s) => fixed(s.brier, 4),
    value: (s) => s.brier,
    better: -1,
  },
];

function winner(m: Measure, model: BacktestSide, scorecard: BacktestSide): "model" | "scorecard" | null {
  const a = m.value(model);
  const b = m.value(scorecard);
  if (a === null || b === null || a === b) return null;
  return (a - b) * m.better > 0 ? "model" : "scorecard";
}

function Compare({ r }: { r: ModelReport }) {
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
                  {m.show(r.model)}
                </td>
                <td
                  className={best === "scorecard" ? "num best" : "num"}
                  data-value={m.value(r.scorecard) ?? ""}
                >
                  {m.show(r.scorecard)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function TradeOff({ rows, chosen }: { rows: LeadAtPrecision[]; chosen: number | null }) {
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

/** Observed churn rate against the mean predicted probability, per probability bin: on the diagonal is right. */
function Reliability({ bins }: { bins: CalibrationBin[] }) {
  const used = bins.filter((b) => b.count > 0 && b.mean_predicted !== null && b.observed_rate !== null);
  const size = 220;
  const pad = 28;
  const at = (v: number) => pad + v * (size - 2 * pad);
  const most = Math.max(1, ...used.map((b) => b.count));
  return (
    <div className="reliability">
      <svg
        width={size}
        height={size}
        role="img"
        aria-label="Observed churn rate against predicted probability"
        data-testid="reliability"
      >
        <rect x={pad} y={pad} width={size - 2 * pad} height={size - 2 * pad} className="frame" />
        <line x1={at(0)} y1={at(1)} x2={at(1)} y2={at(0)} className="diagonal" />
        {used.map((b) => (
          <circle
            key={b.from}
            cx={at(b.mean_predicted as number)}
            cy={size - at(b.observed_rate as number)}
            r={3 + 6 * Math.sqrt(b.count / most)}
            className="bin"
          >
            <title>
              {`predicted ${percent(b.mean_predicted, 1)}, churned ${percent(b.observed_rate, 1)} of ${count(b.count)}`}
            </title>
          </circle>
        ))}
        <text x={size / 2} y={size - 6} textAnchor="middle" className="axis-label">
          predicted
        </text>
        <text
          x={10}
          y={size / 2}
          textAnchor="middle"
          className="axis-label"
          transform={`rotate(-90 10 ${size / 2})`}
        >
          churned
        </text>
      </svg>
      <table className="compact">
        <thead>
          <tr>
            <th scope="col">Probability</th>
            <th scope="col" className="num">
              Observations
            </th>
            <th scope="col" className="num">
              Predicted
            </th>
            <th scope="col" className="num">
              Churned
            </th>
          </tr>
        </thead>
        <tbody>
          {used.map((b) => (
            <tr key={b.from}>
              <th scope="row">
                {percent(b.from)}–{percent(b.to)}
              </th>
              <td className="num">{count(b.count)}</td>
              <td className="num">{percent(b.mean_predicted, 1)}</td>
              <td className="num">{percent(b.observed_rate, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Summary({ r }: { r: ModelReport }) {
  const churners = r.model.lead.churners;
  if (churners === 0)
    return (
      <p className="model-summary" data-testid="model-summary">
        The backtest could not judge lead time yet: no churner was seen both 90 days and a month before it
        left in the months it tested. It needs a longer history, or more churn in it; the ranking measures
        below stand.
      </p>
    );
  return (
    <p className="model-summary" data-testid="model-summary">
      On the {count(churners)} {churners === 1 ? "churner" : "churners"} the backtest could judge, the model
      warned <strong>{percent(r.model.lead_60_share)}</strong> at least 60 days ahead, with{" "}
      <strong>{percent(r.model.precision)}</strong> of its flags right; the scorecard's at-risk and critical
      bands warned <strong>{percent(r.scorecard.lead_60_share)}</strong>, with{" "}
      <strong>{percent(r.scorecard.precision)}</strong> right.
    </p>
  );
}

function Report({ r }: { r: ModelReport }) {
  const tested = r.splits.filter((s) => !s.skipped).length;
  return (
    <>
      <Panel title="How early and how accurately each would have warned" id="compare">
        <Summary r={r} />
        <Compare r={r} />
      </Panel>
      <div className="grid-2">
        <Panel title="Earlier or surer: the flag at other precisions" id="tradeoff">
          <p className="muted small">
            A lower precision flags more accounts, earlier. Train with{" "}
            <code>keepwell train --precision 0.3</code> to use another row.
          </p>
          <TradeOff rows={r.model.lead_by_precision} chosen={r.model.flag_min_precision} />
        </Panel>
        <Panel title="Is the probability a probability?" id="calibration">
          <p className="muted small">
            Observations grouped by predicted probability: dots on the diagonal churned as often as predicted.
            Each probability here comes from a {r.model.calibration_method} calibration fitted without that
            observation's outcome.
          </p>
          {r.model.calibration ? (
            <Reliability bins={r.model.calibration} />
          ) : (
            <Empty>No calibration table.</Empty>
          )}
        </Panel>
      </div>
      <Panel title="The backtest" id="backtest">
        <dl className="facts model-facts">
          <Fact label="Model">
            v{r.model_version}, {r.model.kind === "gbdt" ? "gradient-boosted trees" : "logistic regression"},
            trained {day(r.created_at)}
          </Fact>
          <Fact label="Candidates (AUC)">
            {r.model.candidates.map((c) => `${c.kind} ${fixed(c.auc, 3)}`).join(", ")}
          </Fact>
          <Fact label="Predicts">churn within {r.horizon_days} days</Fact>
          <Fact label="Method">
            {r.method === "rolling_origin"
              ? `rolling origin: ${tested} time splits, each trained only on what was known before it`
              : `${tested}-fold cross-validation across accounts (short history)`}
          </Fact>
          <Fact label="History">
            {month(r.observations.first_date)} – {month(r.observations.last_date)}, known until{" "}
            {day(r.known_until)}
          </Fact>
          <Fact label="Observations">
            {count(r.observations.rows)} ({count(r.observations.labelled)} with a known outcome,{" "}
            {count(r.observations.test_rows)} tested, {count(r.observations.test_positives)} followed by
            churn), {r.observations.features} features
          </Fact>
        </dl>
      </Panel>
    </>
  );
}

function Versions({ versions }: { versions: ModelVersionSummary[] }) {
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

export function ModelPage() {
  const versions = useApi<{ data: ModelVersionSummary[] }>("/api/v1/models");
  const trained = (versions.data?.data.length ?? 0) > 0;
  const report = useApi<ModelReport>(trained ? "/api/v1/model/report" : null);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Churn model</h1>
        <p className="muted">
          Which accounts will churn, and the proof: the learned model and the scorecard tested side by side on
          the churn your history holds.
        </p>
      </div>
      <Async value={versions} what="the churn models" height={300}>
        {({ data }) =>
          data.length === 0 ? (
            <Empty>
              <strong>No churn model yet.</strong> Run <code>keepwell train</code>: it learns from the monthly
              score history (backfilled when missing), stores the model with its backtest, and predicts every
              account. This page then shows how early and how accurately it would have warned.
            </Empty>
          ) : (
            <>
              <Async value={report} what="the churn model's backtest" height={300}>
                {(r) => <Report r={r} />}
              </Async>
              <Panel title="Every training" id="versions">
                <Versions versions={data} />
              </Panel>
            </>
          )
        }
      </Async>
    </div>
  );
}
