import type { Labels } from "./dataset.js";

/**
 * The forecast, backtested: for each observation date the backtest tested,
 * the churn the model expected (the sum of its held-out probabilities) beside
 * the churn that followed within the horizon (the sum of the labels). A
 * calibrated probability is an expected count, so the two should agree month
 * by month, not only on average: a month the model over- or under-calls shows
 * here (a holiday season taken for churn, say).
 */

export interface ForecastPoint {
  date: string;
  observations: number;
  expected: number;
  churned: number;
}

export interface ForecastBacktest {
  by_date: ForecastPoint[];
  /** Mean over the dates with churn of |expected − churned| / churned; null when no date had churn. */
  mean_abs_error: number | null;
}

export function forecastBacktest(
  dates: readonly string[],
  probability: ArrayLike<number>,
  labels: Labels,
): ForecastBacktest {
  const by = new Map<string, ForecastPoint>();
  dates.forEach((date, i) => {
    let p = by.get(date);
    if (!p) {
      p = { date, observations: 0, expected: 0, churned: 0 };
      by.set(date, p);
    }
    p.observations++;
    p.expected += probability[i] as number;
    p.churned += labels[i] as number;
  });
  const points = [...by.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const judged = points.filter((p) => p.churned > 0);
  const error =
    judged.length === 0
      ? null
      : judged.reduce((s, p) => s + Math.abs(p.expected - p.churned) / p.churned, 0) / judged.length;
  return {
    by_date: points.map((p) => ({ ...p, expected: Math.round(p.expected * 100) / 100 })),
    mean_abs_error: error === null ? null : Math.round(error * 10_000) / 10_000,
  };
}
