import type { Labels } from "./dataset.js";

/**
 * The forecast, backtested: for each observation date the backtest tested,
 * the churn the model expected (the sum of its held-out probabilities) beside
 * the churn that followed within the horizon (the sum of the labels), in
 * accounts and in ARR (each observation weighted by the account's ARR on that
 * date). A calibrated probability is an expected count, so the two should
 * agree month by month, not only on average: a month the model over- or
 * under-calls shows here (a holiday season taken for churn, say).
 */

export interface ForecastPoint {
  date: string;
  observations: number;
  expected: number;
  churned: number;
  /** Σ probability × ARR on the date. */
  expected_arr: number;
  /** The ARR (on the date) of the accounts that churned within the horizon. */
  churned_arr: number;
}

export interface ForecastBacktest {
  by_date: ForecastPoint[];
  /** Mean over the dates with churn of |expected − churned| / churned; null when no date had churn. */
  mean_abs_error: number | null;
  /** The same in ARR, over the dates with churned ARR. */
  mean_abs_error_arr: number | null;
  /** Tested observations whose ARR was not known (they count in accounts, not in ARR). */
  observations_without_arr: number;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Mean of |expected − actual| / actual over the points with actual > 0 (null when none). */
function meanRelativeError(points: readonly { expected: number; actual: number }[]): number | null {
  const judged = points.filter((p) => p.actual > 0);
  if (judged.length === 0) return null;
  return round(judged.reduce((s, p) => s + Math.abs(p.expected - p.actual) / p.actual, 0) / judged.length, 4);
}

export function forecastBacktest(
  dates: readonly string[],
  probability: ArrayLike<number>,
  labels: Labels,
  arr: readonly (number | null)[] = [],
): ForecastBacktest {
  const by = new Map<string, ForecastPoint>();
  let withoutArr = 0;
  dates.forEach((date, i) => {
    let p = by.get(date);
    if (!p) {
      p = { date, observations: 0, expected: 0, churned: 0, expected_arr: 0, churned_arr: 0 };
      by.set(date, p);
    }
    const q = probability[i] as number;
    const y = labels[i] as number;
    const value = arr[i] ?? null;
    p.observations++;
    p.expected += q;
    p.churned += y;
    if (value === null || !Number.isFinite(value)) withoutArr++;
    else {
      p.expected_arr += q * value;
      p.churned_arr += y * value;
    }
  });
  const points = [...by.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return {
    by_date: points.map((p) => ({
      ...p,
      expected: round(p.expected, 2),
      expected_arr: round(p.expected_arr, 2),
      churned_arr: round(p.churned_arr, 2),
    })),
    mean_abs_error: meanRelativeError(points.map((p) => ({ expected: p.expected, actual: p.churned }))),
    mean_abs_error_arr: meanRelativeError(
      points.map((p) => ({ expected: p.expected_arr, actual: p.churned_arr })),
    ),
    observations_without_arr: withoutArr,
  };
}
