import { describe, expect, it } from "vitest";
import {
  averagePrecision,
  brierScore,
  calibrationTable,
  flagQuality,
  rankingReport,
  rocAuc,
  thresholdForPrecision,
  topLift,
} from "./evaluate.js";
import { leadTimes } from "./lead-time.js";

const y = (...labels: number[]) => Uint8Array.from(labels);

describe("ROC AUC", () => {
  it("counts the pairs a churner outranks", () => {
    // Churners 0.9 and 0.7 against 0.8, 0.6, 0.5: 0.9 wins 3, 0.7 wins 2 → 5 of 6.
    expect(rocAuc([0.9, 0.8, 0.7, 0.6, 0.5], y(1, 0, 1, 0, 0))).toBeCloseTo(5 / 6, 12);
  });
  it("counts a tie as half a pair (average ranks)", () => {
    // (0.9>0.5)=1, (0.9>0.1)=1, (0.5=0.5)=½, (0.5>0.1)=1 → 3.5 of 4.
    expect(rocAuc([0.9, 0.5, 0.5, 0.1], y(1, 1, 0, 0))).toBeCloseTo(0.875, 12);
    // All pairs tied or split evenly → 0.5.
    expect(rocAuc([0.8, 0.8, 0.3, 0.3], y(1, 0, 1, 0))).toBeCloseTo(0.5, 12);
  });
  it("is 1 for a perfect ranking, 0 reversed, NaN with one class", () => {
    expect(rocAuc([3, 2, 1], y(1, 0, 0))).toBe(1);
    expect(rocAuc([1, 2, 3], y(1, 0, 0))).toBe(0);
    expect(rocAuc([1, 2, 3], y(0, 0, 0))).toBeNaN();
  });
});

describe("average precision", () => {
  it("sums recall gained × precision at each threshold", () => {
    // At 0.9: precision 1/1, recall +½; at 0.7: precision 2/3, recall +½ → ½ + ⅓.
    expect(averagePrecision([0.9, 0.8, 0.7, 0.6, 0.5], y(1, 0, 1, 0, 0))).toBeCloseTo(0.5 + 1 / 3, 12);
  });
  it("treats tied scores as one threshold", () => {
    // At 0.9: 1/1, +½; at 0.5 (two rows): 2/3, +½.
    expect(averagePrecision([0.9, 0.5, 0.5, 0.1], y(1, 1, 0, 0))).toBeCloseTo(0.5 + 1 / 3, 12);
  });
});

describe("top-decile lift", () => {
  it("is the top 10%'s churn rate over the base rate", () => {
    // 20 rows, 4 churners (rate 0.2); the top 2 are both churners (rate 1) → lift 5.
    const scores = Array.from({ length: 20 }, (_, i) => 20 - i);
    const labels = y(1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0);
    expect(topLift(scores, labels)).toBeCloseTo(5, 12);
  });
  it("shares a tie straddling the cut pro rata", () => {
    // 10 rows, top 1: two rows tie at 0.9 (one churner) → 0.5 churner in the top; base rate 0.2 → 2.5.
    const scores = [0.9, 0.9, 0.5, 0.4, 0.3, 0.3, 0.2, 0.2, 0.1, 0.1];
    expect(topLift(scores, y(1, 0, 0, 0, 0, 1, 0, 0, 0, 0))).toBeCloseTo(2.5, 12);
  });
});

describe("Brier score and calibration table", () => {
  it("averages squared errors", () => {
    // (0.1² + 0.2² + 0.6² + 0²) / 4 = 0.41 / 4.
    expect(brierScore([0.9, 0.2, 0.6, 0], y(1, 0, 0, 0))).toBeCloseTo(0.1025, 12);
  });
  it("bins by predicted probability", () => {
    const table = calibrationTable([0.05, 0.15, 0.12, 0.95, 1], y(0, 1, 0, 1, 1));
    expect(table).toHaveLength(10);
    expect(table[0]).toMatchObject({ count: 1, mean_predicted: 0.05, observed_rate: 0 });
    expect(table[1]?.count).toBe(2);
    expect(table[1]?.mean_predicted).toBeCloseTo(0.135, 12);
    expect(table[1]?.observed_rate).toBe(0.5);
    expect(table[2]).toMatchObject({ count: 0, mean_predicted: null, observed_rate: null });
    expect(table[9]).toMatchObject({ count: 2, mean_predicted: 0.975, observed_rate: 1 });
  });
});

describe("flags", () => {
  it("precision and recall of a flag", () => {
    // Flagged 3 (rows 0, 1, 4), of which 2 churned; 3 churned in all.
    expect(flagQuality([1, 1, 0, 0, 1], y(1, 0, 1, 0, 1))).toEqual({
      flagged: 3,
      true_positives: 2,
      positives: 3,
      precision: 2 / 3,
      recall: 2 / 3,
    });
  });
  it("finds the threshold with the most recall at a precision", () => {
    // Cuts: 0.9 → 1/1; 0.8 → 1/2; 0.7 → 2/3 (recall 1); 0.6 → 2/4; 0.5 → 2/5.
    expect(thresholdForPrecision([0.9, 0.8, 0.7, 0.6, 0.5], y(1, 0, 1, 0, 0), 0.6)).toEqual({
      threshold: 0.7,
      precision: 2 / 3,
      recall: 1,
    });
    expect(thresholdForPrecision([0.9, 0.8], y(0, 0), 0.5)).toBeUndefined();
  });
  it("reports everything as JSON (null for what is undefined)", () => {
    const report = rankingReport({ risk: [1, 2], labels: y(0, 0) });
    expect(report.auc).toBeNull();
    expect(report.brier).toBeNull();
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});

describe("lead time", () => {
  const obs = (account: string, date: string, flagged: boolean) => ({ account, date, flagged });
  const report = leadTimes(
    [
      // A: flagged, dropped, then flagged from 03-01 until churn on 06-01 → 31 + 30 + 31 = 92 days.
      obs("A", "2025-01-01", true),
      obs("A", "2025-02-01", false),
      obs("A", "2025-03-01", true),
      obs("A", "2025-04-01", true),
      obs("A", "2025-05-01", true),
      obs("A", "2025-06-15", false), // after the churn: ignored
      // B: flagged once, not at the last observation → not warned.
      obs("B", "2025-04-01", true),
      obs("B", "2025-05-01", false),
      // C: flagged from 04-01, churn 05-20 → 30 + 19 = 49 days.
      obs("C", "2025-03-01", false),
      obs("C", "2025-05-01", true), // out of order on purpose
      obs("C", "2025-04-01", true),
      // F: flagged from 03-15, churn 06-01 → 17 (03-15 to 04-01) + 30 + 31 = 78 days.
      obs("F", "2025-03-15", true),
      obs("F", "2025-04-01", true),
      obs("F", "2025-05-01", true),
      // E never churns: not a churner.
      obs("E", "2025-05-01", true),
    ],
    { A: "2025-06-01", B: "2025-06-01", C: "2025-05-20", D: "2025-02-01", F: "2025-06-01" },
  );
  it("measures from the start of the final unbroken flagged run", () => {
    expect(report.accounts.map((a) => [a.account, a.lead_days, a.flagged_since])).toEqual([
      ["A", 92, "2025-03-01"],
      ["B", null, null],
      ["C", 49, "2025-04-01"],
      ["F", 78, "2025-03-15"],
    ]);
  });
  it("shares are over every observed churner, the unwarned included", () => {
    expect(report).toMatchObject({ churners: 4, warned: 3, unobserved: 1, median_lead_days: 78 });
    expect(report.lead_60_share).toBe(2 / 4); // A and F
    expect(report.lead_90_share).toBe(1 / 4); // A
  });
});
