import { describe, expect, it } from "vitest";
import { forecastBacktest } from "./forecast-backtest.js";

describe("the forecast, backtested", () => {
  it("sums probabilities and outcomes per date, and averages the relative error over dates with churn", () => {
    const dates = ["2025-02-01", "2025-01-01", "2025-01-01", "2025-02-01", "2025-03-01", "2025-01-01"];
    const p = [0.5, 0.25, 0.5, 0.5, 0.2, 0.75];
    const y = Uint8Array.from([1, 0, 1, 0, 0, 1]);
    const f = forecastBacktest(dates, p, y);
    expect(f.by_date).toEqual([
      { date: "2025-01-01", observations: 3, expected: 1.5, churned: 2 },
      { date: "2025-02-01", observations: 2, expected: 1, churned: 1 },
      { date: "2025-03-01", observations: 1, expected: 0.2, churned: 0 },
    ]);
    // January |1.5 − 2| / 2 = 0.25, February 0; March had no churn and is left out.
    expect(f.mean_abs_error).toBe(0.125);
  });

  it("has no error to report when nothing churned", () => {
    expect(forecastBacktest(["2025-01-01"], [0.3], Uint8Array.from([0])).mean_abs_error).toBeNull();
    expect(forecastBacktest([], [], new Uint8Array(0))).toEqual({ by_date: [], mean_abs_error: null });
  });
});
