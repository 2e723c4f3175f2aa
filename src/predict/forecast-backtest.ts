import type { Labels } from "./dataset.js";

/**
 * The forecast, backtested: for each observation date the backtest tested,
 * the churn the model expected (the sum of its held-out probabilities) beside
 * the churn that followed within the horizon (the sum of the labels), in
 * accounts and in ARR (each observation weighted by the account's ARR on that
 * date). A calibrated probability is an expected count, so the two should
 * agree month by month, not only on average: a month the model over- or
 * under-calls shows here (a holiday season taken for churn, say).
 *
 * How far a month may stray: if the accounts churned independently with their
 * probabilities, the churn of a month would vary by a standard deviation of
 * √Σ p(1 − p) accounts, and √Σ p(1 − p) ARR² in ARR (a few large accounts
 * decide a month's lost ARR). Months stray further than that (shared causes,
 * the model's own error), so the backtest measures by how much: the spread
 * factor is the root mean square of (churned − expected) / SD over the tested
 * months, never below 1 (months that strayed less than independent outcomes
 * would are luck, not a reason for a narrower range). The forecast's range is
 * expected ± 1.28 × factor × SD (80% under a normal approximation);
 * `within_range` is the share of tested months whose churn fell inside it.
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
  /** √Σ p(1 − p): the SD of the churned count were outcomes independent. */
  expected_sd: number;
  /** √Σ p(1 − p) × ARR². */
  expected_arr_sd: number;
  /** The 80% range of the churned count (forecastRange with the measured spread factor). */
  expected_range: [number, number];
  expected_arr_range: [number, number];
}

/** How much further than independent outcomes the months strayed, and how often they fell in the range. */
export interface ForecastSpread {
  /** RMS of (churned − expected) / SD over the months with an SD, at least 1; null with fewer than 3 such months. */
  factor: number | null;
  /** Share of those months whose churn fell within expected ± RANGE_Z × factor × SD. */
  within_range: number | null;
}

export interface ForecastBacktest {
  by_date: ForecastPoint[];
  /**
   * The mean absolute error of the months as a share of their mean churn:
   * Σ |expected − churned| / Σ churned over the tested months (a month with
   * little churn cannot blow it up, as a mean of monthly percentages would);
   * null when nothing churned.
   */
  mean_abs_error: number | null;
  /** The same in ARR. */
  mean_abs_error_arr: number | null;
  /** Tested observations whose ARR was not known (they count in accounts, not in ARR). */
  observations_without_arr: number;
  spread: { accounts: ForecastSpread; arr: ForecastSpread };
}

/** z of an 80% two-sided normal interval. */
export const RANGE_Z = 1.2816;

/** The 80% range of a forecast: expected ± RANGE_Z × factor × SD, never below 0 (factor 1 when unknown). */
export function forecastRange(expected: number, sd: number, factor: number | null): [number, number] {
  const half = RANGE_Z * (factor ?? 1) * sd;
  return [Math.max(0, expected - half), expected + half];
}

function spreadOf(points: readonly { expected: number; actual: number; sd: number }[]): ForecastSpread {
  const judged = points.filter((p) => p.sd > 0);
  if (judged.length < 3) return { factor: null, within_range: null };
  const rms = Math.sqrt(
    judged.reduce((s, p) => s + ((p.actual - p.expected) / p.sd) ** 2, 0) / judged.length,
  );
  const factor = Math.max(1, rms);
  const within = judged.filter((p) => {
    const [lo, hi] = forecastRange(p.expected, p.sd, factor);
    return p.actual >= lo && p.actual <= hi;
  }).length;
  return { factor: round(factor, 3), within_range: round(within / judged.length, 4) };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Σ |expected − actual| / Σ actual (null when nothing happened). */
function relativeError(points: readonly { expected: number; actual: number }[]): number | null {
  const actual = points.reduce((s, p) => s + p.actual, 0);
  if (actual <= 0) return null;
  return round(points.reduce((s, p) => s + Math.abs(p.expected - p.actual), 0) / actual, 4);
}

export function forecastBacktest(
  dates: readonly string[],
  probability: ArrayLike<number>,
  labels: Labels,
  arr: readonly (number | null)[] = [],
): ForecastBacktest {
  // Per date: sums of p, y, p × ARR, y × ARR, and the variances p(1 − p) and p(1 − p) × ARR².
  const by = new Map<
    string,
    { n: number; p: number; y: number; pArr: number; yArr: number; v: number; vArr: number }
  >();
  let withoutArr = 0;
  dates.forEach((date, i) => {
    let a = by.get(date);
    if (!a) {
      a = { n: 0, p: 0, y: 0, pArr: 0, yArr: 0, v: 0, vArr: 0 };
      by.set(date, a);
    }
    const q = probability[i] as number;
    const y = labels[i] as number;
    const value = arr[i] ?? null;
    a.n++;
    a.p += q;
    a.y += y;
    a.v += q * (1 - q);
    if (value === null || !Number.isFinite(value)) withoutArr++;
    else {
      a.pArr += q * value;
      a.yArr += y * value;
      a.vArr += q * (1 - q) * value * value;
    }
  });
  const points = [...by]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, a]) => ({
      date,
      observations: a.n,
      expected: a.p,
      churned: a.y,
      expected_arr: a.pArr,
      churned_arr: a.yArr,
      expected_sd: Math.sqrt(a.v),
      expected_arr_sd: Math.sqrt(a.vArr),
    }));
  const spread = {
    accounts: spreadOf(points.map((p) => ({ expected: p.expected, actual: p.churned, sd: p.expected_sd }))),
    arr: spreadOf(
      points.map((p) => ({ expected: p.expected_arr, actual: p.churned_arr, sd: p.expected_arr_sd })),
    ),
  };
  const rounded = (r: [number, number]): [number, number] => [round(r[0], 2), round(r[1], 2)];
  return {
    by_date: points.map((p) => ({
      ...p,
      expected: round(p.expected, 2),
      expected_arr: round(p.expected_arr, 2),
      churned_arr: round(p.churned_arr, 2),
      expected_sd: round(p.expected_sd, 3),
      expected_arr_sd: round(p.expected_arr_sd, 2),
      expected_range: rounded(forecastRange(p.expected, p.expected_sd, spread.accounts.factor)),
      expected_arr_range: rounded(forecastRange(p.expected_arr, p.expected_arr_sd, spread.arr.factor)),
    })),
    mean_abs_error: relativeError(points.map((p) => ({ expected: p.expected, actual: p.churned }))),
    mean_abs_error_arr: relativeError(
      points.map((p) => ({ expected: p.expected_arr, actual: p.churned_arr })),
    ),
    observations_without_arr: withoutArr,
    spread,
  };
}
