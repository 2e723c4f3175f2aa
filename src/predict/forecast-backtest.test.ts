import { describe, expect, it } from "vitest";
import { forecastBacktest } from "./forecast-backtest.js";

describe("the forecast, backtested", () => {
  const dates = ["2025-02-01", "2025-01-01", "2025-01-01", "2025-02-01", "2025-03-01", "2025-01-01"];
  const p = [0.5, 0.25, 0.5, 0.5, 0.2, 0.75];
  const y = Uint8Array.from([1, 0, 1, 0, 0, 1]);

  it("sums probabilities and outcomes per date, and averages the relative error over dates with churn", () => {
    const f = forecastBacktest(dates, p, y);
    expect(
      f.by_date.map(({ date, observations, expected, churned }) => ({
        date,
        observations,
        expected,
        churned,
      })),
    ).toEqual([
      { date: "2025-01-01", observations: 3, expected: 1.5, churned: 2 },
      { date: "2025-02-01", observations: 2, expected: 1, churned: 1 },
      { date: "2025-03-01", observations: 1, expected: 0.2, churned: 0 },
    ]);
    // January |1.5 − 2| / 2 = 0.25, February 0; March had no churn and is left out.
    expect(f.mean_abs_error).toBe(0.125);
    // No ARR given: every observation counts in accounts only.
    expect(f.observations_without_arr).toBe(6);
    expect(f.mean_abs_error_arr).toBeNull();
  });

  it("weights each observation by its ARR, leaving out the ones without", () => {
    const arr = [1000, 2000, null, 4000, 500, 800];
    const f = forecastBacktest(dates, p, y, arr);
    // January: expected 0.25 × 2000 + 0.75 × 800 = 1100 (the 0.5 row has no ARR); churned 800.
    // February: expected 0.5 × 1000 + 0.5 × 4000 = 2500; churned 1000. March: expected 100, churned 0.
    expect(f.by_date.map((d) => [d.date, d.expected_arr, d.churned_arr])).toEqual([
      ["2025-01-01", 1100, 800],
      ["2025-02-01", 2500, 1000],
      ["2025-03-01", 100, 0],
    ]);
    // (|1100 − 800| / 800 + |2500 − 1000| / 1000) / 2 = (0.375 + 1.5) / 2
    expect(f.mean_abs_error_arr).toBe(0.9375);
    expect(f.observations_without_arr).toBe(1);
    // The account figures do not change with ARR.
    expect(f.mean_abs_error).toBe(0.125);
  });

  it("has no error to report when nothing churned", () => {
    expect(forecastBacktest(["2025-01-01"], [0.3], Uint8Array.from([0])).mean_abs_error).toBeNull();
    expect(forecastBacktest([], [], new Uint8Array(0))).toEqual({
      by_date: [],
      mean_abs_error: null,
      mean_abs_error_arr: null,
      observations_without_arr: 0,
    });
  });
});
