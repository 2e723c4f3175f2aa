import type { ReactNode } from "react";
import { Reliability } from "../charts/reliability";
import { Async, Empty, Panel } from "../components/states";
import { count, day, month, percent } from "../lib/format";
import type { ChurnForecast, ModelReport, ModelVersionSummary } from "../lib/types";
import { useApi } from "../lib/use-api";
import { Forecast } from "./model-forecast";
import { ForecastHeld } from "./model-forecast-held";
import { Compare, fixed, TradeOff, Versions } from "./model-tables";

/**
 * The churn model's proof: how early and how accurately it would have warned
 * of the churn the history holds, beside the scorecard's bands, from the
 * latest training's backtest (GET /api/v1/model/report).
 */

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
  const forecast = r.model.forecast;
  return (
    <>
      {forecast && forecast.by_date.length > 0 && (
        <Panel title="Did the forecast hold?" id="forecast-held">
          <ForecastHeld forecast={forecast} horizonDays={r.horizon_days} />
        </Panel>
      )}
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
            Each probability here was calibrated ({r.model.calibration_method}) without that observation's own
            outcome.
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

export function ModelPage() {
  const versions = useApi<{ data: ModelVersionSummary[] }>("/api/v1/models");
  const trained = (versions.data?.data.length ?? 0) > 0;
  const report = useApi<ModelReport>(trained ? "/api/v1/model/report" : null);
  const forecast = useApi<ChurnForecast>(trained ? "/api/v1/model/forecast" : null);
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
              <Panel title="What to expect" id="forecast">
                <Async value={forecast} what="the churn forecast" height={160}>
                  {(f) => <Forecast f={f} />}
                </Async>
              </Panel>
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
