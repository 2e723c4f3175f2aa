import type { Queryable } from "../store/index.js";
import { forecastRange } from "./forecast-backtest.js";
import { latestModelHead } from "./model-store.js";

/**
 * What the current predictions add up to: the churn to expect within the
 * model's horizon, in accounts and in ARR, for the whole portfolio and per
 * segment. A calibrated probability is an expected count, so the sum of the
 * probabilities is the number of accounts to expect to lose, and the sum of
 * probability × ARR the revenue. Flagged accounts are those at or above the
 * model's flag threshold. Each sum comes with its 80% range: ± 1.28 SD of
 * independent outcomes, widened by the spread factor the backtest measured
 * (forecast-backtest.ts). One set-based query over the current scores.
 */

export interface ForecastGroup {
  /** Null for the whole portfolio; "" for accounts without a segment. */
  segment: string | null;
  /** Active accounts with a churn probability. */
  accounts: number;
  /** Sum of their churn probabilities: the accounts to expect to churn. */
  expected_churns: number;
  /** The 80% range of the churned count. */
  expected_churns_range: [number, number];
  /** ARR of the accounts that carry one. */
  arr: number;
  /** Sum of probability × ARR. */
  expected_churned_arr: number;
  /** The 80% range of the churned ARR. */
  expected_churned_arr_range: [number, number];
  flagged: number;
  flagged_arr: number;
}

export interface ChurnForecast {
  model_version: number;
  horizon_days: number;
  /** The flag threshold; null when the backtest reached no threshold at the wanted precision. */
  flag_threshold: number | null;
  /** When the predictions' scores were computed (the oldest, should they differ). */
  as_of: string | null;
  total: ForecastGroup;
  segments: ForecastGroup[];
}

interface Row extends Record<string, unknown> {
  segment: string | null;
  whole: boolean;
  accounts: number;
  expected_churns: number | null;
  arr: number | null;
  expected_churned_arr: number | null;
  churns_var: number | null;
  churned_arr_var: number | null;
  flagged: number;
  flagged_arr: number | null;
  as_of: string | null;
}

const SQL = `
SELECT coalesce(a.segment, '') AS segment, grouping(coalesce(a.segment, '')) = 1 AS whole,
  count(*)::int AS accounts,
  sum(cs.churn_probability)::float8 AS expected_churns,
  coalesce(sum(a.arr), 0)::float8 AS arr,
  coalesce(sum(cs.churn_probability * a.arr), 0)::float8 AS expected_churned_arr,
  sum(cs.churn_probability * (1 - cs.churn_probability))::float8 AS churns_var,
  sum(cs.churn_probability * (1 - cs.churn_probability) * a.arr ^ 2)::float8 AS churned_arr_var,
  count(*) FILTER (WHERE cs.churn_probability >= $1::float8)::int AS flagged,
  coalesce(sum(a.arr) FILTER (WHERE cs.churn_probability >= $1::float8), 0)::float8 AS flagged_arr,
  min(cs.as_of) AS as_of
FROM current_scores cs JOIN accounts a ON a.id = cs.account
WHERE cs.churn_probability IS NOT NULL AND a.status IS DISTINCT FROM 'churned'
GROUP BY ROLLUP (coalesce(a.segment, ''))
ORDER BY whole DESC, expected_churned_arr DESC, segment`;

const round = (x: number | null, digits: number) =>
  x === null ? 0 : Math.round(x * 10 ** digits) / 10 ** digits;

type Spread = { accounts: number | null; arr: number | null };

function range(expected: number | null, variance: number | null, factor: number | null): [number, number] {
  const [lo, hi] = forecastRange(Number(expected ?? 0), Math.sqrt(Number(variance ?? 0)), factor);
  return [round(lo, 2), round(hi, 2)];
}

function group(r: Row, spread: Spread): ForecastGroup {
  return {
    segment: r.whole ? null : (r.segment ?? ""),
    accounts: Number(r.accounts),
    expected_churns: round(r.expected_churns, 2),
    expected_churns_range: range(r.expected_churns, r.churns_var, spread.accounts),
    arr: round(r.arr, 2),
    expected_churned_arr: round(r.expected_churned_arr, 2),
    expected_churned_arr_range: range(r.expected_churned_arr, r.churned_arr_var, spread.arr),
    flagged: Number(r.flagged),
    flagged_arr: round(r.flagged_arr, 2),
  };
}

/** The forecast from the current predictions of the model in use; undefined before any training. */
export async function churnForecast(db: Queryable): Promise<ChurnForecast | undefined> {
  const model = await latestModelHead(db);
  if (!model) return undefined;
  // No threshold: nothing is flagged (a probability is never above 2).
  const rows = await db.query<Row>(SQL, [model.flag_threshold ?? 2]);
  const whole = rows.find((r) => r.whole);
  const empty: ForecastGroup = {
    segment: null,
    accounts: 0,
    expected_churns: 0,
    expected_churns_range: [0, 0],
    arr: 0,
    expected_churned_arr: 0,
    expected_churned_arr_range: [0, 0],
    flagged: 0,
    flagged_arr: 0,
  };
  return {
    model_version: model.version,
    horizon_days: model.horizon_days,
    flag_threshold: model.flag_threshold,
    as_of: whole?.as_of ? new Date(whole.as_of).toISOString() : null,
    total: whole ? group(whole, model.forecast_spread) : empty,
    segments: rows.filter((r) => !r.whole).map((r) => group(r, model.forecast_spread)),
  };
}
