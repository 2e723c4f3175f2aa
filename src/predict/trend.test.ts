import { describe, expect, it } from "vitest";
import { featureLabel } from "./refresh.js";
import { changeFeature, SCORE_FEATURE, snapshotMonthBefore, TREND_FEATURES, withTrends } from "./trend.js";

describe("trend features", () => {
  it("takes the change against the month start nearest to k months before", () => {
    expect(snapshotMonthBefore("2026-03-01", 1)).toBe("2026-02-01");
    expect(snapshotMonthBefore("2026-03-01", 3)).toBe("2025-12-01");
    expect(snapshotMonthBefore("2026-01-01T00:00:00.000Z", 1)).toBe("2025-12-01");
    // Mid-month: the nearer month start.
    expect(snapshotMonthBefore("2026-11-23T10:00:00.000Z", 1)).toBe("2026-11-01");
    expect(snapshotMonthBefore("2026-11-10T10:00:00.000Z", 1)).toBe("2026-10-01");
    expect(snapshotMonthBefore("2026-03-31", 1)).toBe("2026-03-01");
    expect(snapshotMonthBefore("2026-03-05", 3)).toBe("2025-12-01");
  });

  it("adds the change of each trend feature present in both snapshots", () => {
    const now = { [SCORE_FEATURE]: 52, "category:support_health": 40, other: 3 };
    const before: Record<number, Record<string, number>> = {
      1: { [SCORE_FEATURE]: 60 },
      3: { [SCORE_FEATURE]: 71, "category:support_health": 55, other: 9 },
    };
    const out = withTrends(now, (k) => before[k]);
    expect(out).toEqual({
      ...now,
      [changeFeature(SCORE_FEATURE, 1)]: -8,
      [changeFeature(SCORE_FEATURE, 3)]: -19,
      [changeFeature("category:support_health", 3)]: -15,
    });
    // No earlier snapshot: no change, and the record is not modified.
    expect(withTrends(now, () => undefined)).toEqual(now);
    expect(TREND_FEATURES).toContain(SCORE_FEATURE);
  });

  it("labels a change for people", () => {
    expect(featureLabel(changeFeature(SCORE_FEATURE, 1))).toBe("Health score: change over 1 month");
    expect(featureLabel(changeFeature("category:support_health", 3))).toBe(
      "support health score: change over 3 months",
    );
    expect(featureLabel("active_users_30d:vs_portfolio:change_3m")).toMatch(
      /against the portfolio median: change over 3 months$/,
    );
  });
});
