import type { ReactNode } from "react";
import { arr, count, day, percent, segment } from "../lib/format";
import { Link } from "../lib/router";
import type { ChurnForecast, ForecastGroup } from "../lib/types";

/**
 * The churn to expect within the horizon, from the current predictions: a
 * calibrated probability is an expected count, so the sums are forecasts,
 * each with the 80% range the backtest's spread gives it.
 */

const share = (part: number, whole: number) => (whole > 0 ? percent(part / whole) : "—");

function Tile(props: { label: string; value: string; sub: string; testId: string; children?: ReactNode }) {
  return (
    <div className="tile static" data-testid={props.testId}>
      <span className="tile-label">{props.label}</span>
      <span className="tile-value">{props.value}</span>
      <span className="tile-sub">{props.sub}</span>
      {props.children}
    </div>
  );
}

function Row({ g }: { g: ForecastGroup }) {
  return (
    <tr data-testid="forecast-segment">
      <th scope="row">{segment(g.segment) === "—" ? "No segment" : segment(g.segment)}</th>
      <td className="num">{count(g.accounts)}</td>
      <td className="num">{g.expected_churns.toFixed(1)}</td>
      <td className="num">{share(g.expected_churns, g.accounts)}</td>
      <td className="num">{arr(g.expected_churned_arr)}</td>
      <td className="num">{share(g.expected_churned_arr, g.arr)}</td>
      <td className="num">
        {count(g.flagged)} <span className="muted">({arr(g.flagged_arr)})</span>
      </td>
    </tr>
  );
}

export function Forecast({ f }: { f: ChurnForecast }) {
  const t = f.total;
  if (t.accounts === 0)
    return (
      <div className="state state-empty">
        No account has a churn probability yet: run <code>keepwell predict</code> after scoring.
      </div>
    );
  return (
    <>
      <div className="tiles forecast-tiles">
        <Tile
          testId="forecast-churns"
          label={`Accounts likely to churn in ${f.horizon_days} days`}
          value={t.expected_churns.toFixed(1)}
          sub={`of ${count(t.accounts)} (${share(t.expected_churns, t.accounts)}): the sum of their probabilities; 80% range ${t.expected_churns_range[0].toFixed(0)}–${t.expected_churns_range[1].toFixed(0)}`}
        />
        <Tile
          testId="forecast-arr"
          label="ARR likely to churn"
          value={arr(t.expected_churned_arr)}
          sub={`of ${arr(t.arr)} (${share(t.expected_churned_arr, t.arr)}): probability × ARR; 80% range ${arr(t.expected_churned_arr_range[0])}–${arr(t.expected_churned_arr_range[1])}`}
        />
        <Tile
          testId="forecast-flagged"
          label="Flagged accounts"
          value={count(t.flagged)}
          sub={
            f.flag_threshold === null
              ? "no flag: the backtest reached no threshold at the wanted precision"
              : `${arr(t.flagged_arr)} ARR at probability ≥ ${percent(f.flag_threshold, 1)}`
          }
        >
          {t.flagged > 0 && (
            <Link to="/?book=all&flagged=yes&sort=-churn_probability" className="tile-link">
              See the flagged accounts →
            </Link>
          )}
        </Tile>
      </div>
      <div className="table-wrap">
        <table data-testid="forecast-segments">
          <thead>
            <tr>
              <th scope="col">Segment</th>
              <th scope="col" className="num">
                Accounts
              </th>
              <th scope="col" className="num">
                Likely to churn
              </th>
              <th scope="col" className="num">
                Rate
              </th>
              <th scope="col" className="num">
                ARR likely to churn
              </th>
              <th scope="col" className="num">
                Of its ARR
              </th>
              <th scope="col" className="num">
                Flagged (ARR)
              </th>
            </tr>
          </thead>
          <tbody>
            {f.segments.map((g) => (
              <Row key={g.segment ?? ""} g={g} />
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        From model v{f.model_version}'s predictions on the scores of {day(f.as_of)}.
      </p>
    </>
  );
}
