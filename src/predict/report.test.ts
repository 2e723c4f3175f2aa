import { describe, expect, it } from "vitest";
import { DEFAULT_SCORECARD } from "../domain/index.js";
import { emptyMatrix } from "./dataset.js";
import type { ObservationSet } from "./observations.js";
import { scorecardScores, sideReport } from "./report.js";

const DATES = ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01"];

/** A churns on 2024-06-15 (observed all six months), B never churns, C churns on 2024-03-10 (seen 38 days ahead only). */
function smallSet(): ObservationSet {
  const rows = [
    ...DATES.map((date) => ({ account: "A", date })),
    ...DATES.map((date) => ({ account: "B", date })),
    { account: "C", date: "2024-02-01" },
    { account: "C", date: "2024-03-01" },
  ];
  const churn: Record<string, string> = { A: "2024-06-15T00:00:00.000Z", C: "2024-03-10T00:00:00.000Z" };
  const labels = Uint8Array.from(rows, (r) => {
    const c = churn[r.account];
    const days = c
      ? (Date.parse(c) - Date.parse(`${r.date}T00:00:00Z`)) / 86_400_000
      : Number.POSITIVE_INFINITY;
    return days >= 0 && days < 90 ? 1 : 0;
  });
  return {
    horizonDays: 90,
    knownUntil: "2024-12-01T00:00:00.000Z",
    accounts: rows.map((r) => r.account),
    dates: rows.map((r) => r.date),
    segments: rows.map(() => null),
    arr: rows.map(() => null),
    metrics: rows.map(() => ({})),
    signals: rows.map(() => []),
    score: rows.map(() => null),
    band: rows.map(() => null),
    matrix: emptyMatrix([], rows.length),
    labels,
    labelled: new Uint8Array(rows.length).fill(1),
    churnDates: new Map(Object.entries(churn)),
  };
}

describe("sideReport", () => {
  it("judges lead time on churners seen 90 days ahead, and the flag per observation", () => {
    const set = smallSet();
    // A's labels: Apr, May, Jun within 90 days of its churn; C's both.
    expect(Array.from(set.labels)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1]);
    const rows = Int32Array.from(set.accounts, (_, i) => i);
    // Flagged: A from March on (106 days before its churn), B in January, C never.
    const flag = Uint8Array.from([0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    const risk = Float64Array.from(flag, (f, i) => f + i / 100);
    const r = sideReport(
      set,
      rows,
      risk,
      Float64Array.from(risk, (x) => x / 2),
      flag,
    );
    expect(r.lead).toEqual({
      churners: 1,
      warned: 1,
      median_lead_days: 106,
      lead_60_share: 1,
      lead_90_share: 1,
    });
    // Flagged 5: A's April–June are churn within 90 days, A's March and B's January are not.
    expect(r.flag).toEqual({ flagged: 5, true_positives: 3, positives: 5, precision: 0.6, recall: 0.6 });
    expect(r.precision).toBe(0.6);
    expect(r.auc).not.toBeNull();
  });

  it("a flag that lapses before the churn does not count as a warning", () => {
    const set = smallSet();
    const rows = Int32Array.from(set.accounts, (_, i) => i);
    const flag = Uint8Array.from([1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    const r = sideReport(
      set,
      rows,
      Float64Array.from(flag),
      Float64Array.from(flag, (f) => f / 2 + 0.1),
      flag,
    );
    expect(r.lead).toMatchObject({ churners: 1, warned: 0, lead_60_share: 0 });
  });
});

describe("scorecardScores", () => {
  it("re-evaluates the snapshot's metrics; no data gives no score", () => {
    const set = smallSet();
    set.metrics[0] = {
      active_days_per_user_30d: 15,
      core_feature_adoption_30d: 1,
      seat_utilisation: 0.9,
      usage_trend_pct: 20,
    };
    set.signals[1] = ["churn_notice"];
    const s = scorecardScores(set, DEFAULT_SCORECARD);
    expect(s.score[0]).toBe(100);
    expect(s.band[0]).toBe("healthy");
    expect(s.band[1]).toBe("critical");
    expect(s.score[2]).toBeNull();
  });
});
