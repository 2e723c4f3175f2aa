import { describe, expect, it } from "vitest";
import { forecastBacktest, forecastRange } from "./forecast-backtest.js";

describe("the forecast, backtested", () => {
  const dates = ["2025-02-01", "2025-01-01", "2025-01-01", "2025-02-01", "2025-03-01", "2025-01-01"];
  const p = [0.5, 0.25, 0.5, 0.5, 0.2, 0.75];
  const y = Uint8Array.from([1, 0, 1, 0, 0, 1]);

  it("sums probabilities and outcomes per date, and gives the error as a share of the churn", () => {
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
    // (|1.5 − 2| + |1 − 1| + |0.2 − 0|) / (2 + 1 + 0) = 0.7 / 3
    expect(f.mean_abs_error).toBe(0.2333);
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
    // (300 + 1500 + 100) / (800 + 1000 + 0)
    expect(f.mean_abs_error_arr).toBe(1.0556);
    expect(f.observations_without_arr).toBe(1);
    // The account figures do not change with ARR.
    expect(f.mean_abs_error).toBe(0.2333);
  });

  it("has no error to report when nothing churned", () => {
    expect(forecastBacktest(["2025-01-01"], [0.3], Uint8Array.from([0])).mean_abs_error).toBeNull();
    expect(forecastBacktest([], [], new Uint8Array(0))).toEqual({
      by_date: [],
      mean_abs_error: null,
      mean_abs_error_arr: null,
      observations_without_arr: 0,
      spread: {
        accounts: { factor: null, within_range: null },
        arr: { factor: null, within_range: null },
      },
    });
  });

  it("measures how far months strayed beyond independent outcomes, and how often they fell in the range", () => {
    // Four months of 25 accounts at p = 0.2: expected 5, SD √(25 × 0.2 × 0.8) = 2. Three months lose 5
    // (z = 0), the last 11 (z = 3): factor √((0 + 0 + 0 + 9) / 4) = 1.5, range 5 ± 1.2816 × 1.5 × 2.
    const dates: string[] = [];
    const churned = [5, 5, 5, 11];
    const labels: number[] = [];
    churned.forEach((c, m) => {
      for (let k = 0; k < 25; k++) {
        dates.push(`2025-0${m + 1}-01`);
        labels.push(k < c ? 1 : 0);
      }
    });
    const f = forecastBacktest(
      dates,
      new Array(100).fill(0.2),
      Uint8Array.from(labels),
      new Array(100).fill(10),
    );
    expect(f.by_date.map((d) => [d.expected, d.expected_sd, d.expected_arr, d.expected_arr_sd])).toEqual(
      new Array(4).fill([5, 2, 50, 20]),
    );
    // In ARR every account is worth 10: the same z, the same factor.
    expect(f.spread).toEqual({
      accounts: { factor: 1.5, within_range: 0.75 },
      arr: { factor: 1.5, within_range: 0.75 },
    });
    const [lo, hi] = forecastRange(5, 2, 1.5);
    expect(lo).toBeCloseTo(5 - 3.8448, 4);
    expect(hi).toBeCloseTo(5 + 3.8448, 4);
    expect(f.by_date[0]?.expected_range).toEqual([1.16, 8.84]);
    expect(f.by_date[0]?.expected_arr_range).toEqual([11.55, 88.45]);
    // Months that strayed less than independent outcomes would do not narrow the range: factor 1.
    const calm = forecastBacktest(
      dates,
      new Array(100).fill(0.2),
      Uint8Array.from(labels.map((_, i) => (i % 25 < 5 ? 1 : 0))),
    );
    expect(calm.spread.accounts).toEqual({ factor: 1, within_range: 1 });
    // Never below zero; without a measured factor, the independent-outcome range.
    expect(forecastRange(1, 2, null)).toEqual([0, 1 + 1.2816 * 2]);
  });
});
