import { describe, expect, it } from "vitest";
import { parseScorecard } from "../domain/parse-scorecard.js";
import type { Scorecard } from "../domain/scorecard-schema.js";
import { sigmoid } from "./logistic.js";
import { seededRandom } from "./random.js";
import { pointsCoefficients, recommendWeights, roundToTotal } from "./recommend.js";

function card(): Scorecard {
  const parsed = parseScorecard({
    name: "test",
    categories: [
      {
        key: "a",
        name: "A",
        weight: 50,
        measures: [
          { metric: "m1", weight: 1, scale: { type: "linear", worst: 0, best: 10 } }, // higher is better
          { metric: "m2", weight: 1, scale: { type: "linear", worst: 10, best: 0 } }, // lower is better
        ],
      },
      {
        key: "b",
        name: "B",
        weight: 50,
        measures: [
          { metric: "m3", weight: 1, scale: { type: "steps", steps: [{ min: 1, points: 100 }] } }, // higher
          { metric: "m4", weight: 1, scale: { type: "percentile", direction: "lower_is_better" } },
        ],
      },
    ],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scorecard;
}

describe("recommendWeights", () => {
  // Log-odds per 10 points: m1 −3, m2 −1, m4 −1 lower churn; m3 +2 raises it (→ floor 0.05 × 3 = 0.15).
  const result = recommendWeights(card(), { "a.m1": -3, "a.m2": -1, "b.m3": 2, "b.m4": -1 });

  it("weights measures by how much their points lower churn, a floor for those that do not", () => {
    expect(result.measures.map((m) => [m.metric, m.agrees, m.importance])).toEqual([
      ["m1", true, 3],
      ["m2", true, 1],
      ["m3", false, 0.15000000000000002],
      ["m4", true, 1],
    ]);
    // A: 3 : 1 of 98 spare → 73.5, 24.5 → 74, 24 (tie to the first) → +1 each → 75, 25.
    // B: 0.15 : 1 of 98 → 12.78, 85.22 → 13, 85 → 14, 86.
    expect(result.scorecard.categories.map((c) => c.measures.map((m) => m.weight))).toEqual([
      [75, 25],
      [14, 86],
    ]);
    expect(result.measures[2]?.reason).toContain("kept at the floor");
    expect(result.measures[0]?.reason).toBe("10 more points lower churn log-odds by 3.000: weighted by it");
    expect(result.measures[2]?.reason).toBe(
      "10 more points raise churn log-odds by 2.000 once the other measures are counted: kept at the floor",
    );
  });

  it("weights categories by their measures' importance, whole numbers summing to 100", () => {
    // A 4, B 1.15 of 98 spare → 76.12, 21.88 → 76, 22 → 77, 23.
    expect(result.categories.map((c) => [c.key, c.proposed_weight])).toEqual([
      ["a", 77],
      ["b", 23],
    ]);
    expect(result.changed).toBe(true);
    expect(parseScorecard(result.scorecard).ok).toBe(true);
  });

  it("keeps the weights when no measure lowers churn, and keeps measures without data at the floor", () => {
    const none = recommendWeights(card(), { "a.m1": 1, "a.m2": 0.5 });
    expect(none.changed).toBe(false);
    expect(none.scorecard).toEqual(card());
    const partial = recommendWeights(card(), { "a.m1": -2 });
    expect(partial.measures.find((m) => m.metric === "m4")?.reason).toBe(
      "no data to learn from: kept at the floor",
    );
  });
});

describe("pointsCoefficients", () => {
  it("fits the measures' points and takes out those whose points raise churn, refitting the rest", () => {
    const random = seededRandom(8);
    const n = 6000;
    const names = ["a.m1", "a.m2", "b.m3", "b.m4"];
    const columns = names.map(() => new Float64Array(n));
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      for (const c of columns) c[i] = random.next();
      // Points / 100: m1 protects strongly, m2 mildly, m3 goes with churn; m4 has no data at all.
      labels[i] =
        random.next() < sigmoid(-1 - 4 * columns[0]![i]! - 1.5 * columns[1]![i]! + 3 * columns[2]![i]!)
          ? 1
          : 0;
    }
    const coefficients = pointsCoefficients({ names, columns, rows: n, present: [1, 1, 1, 0] }, labels);
    expect(Object.keys(coefficients).sort()).toEqual(["a.m1", "a.m2", "b.m3"]);
    // Per 10 points, so about a tenth of the per-100 truth: −0.4, −0.15; m3 kept its positive coefficient.
    expect(coefficients["a.m1"]).toBeLessThan(-0.25);
    expect(coefficients["a.m2"]).toBeLessThan(-0.05);
    expect(coefficients["a.m2"]).toBeGreaterThan(coefficients["a.m1"] as number);
    expect(coefficients["b.m3"]).toBeGreaterThan(0.15);
    const weights = recommendWeights(card(), coefficients);
    expect(weights.measures.map((m) => m.agrees)).toEqual([true, true, false, false]);
  });
});

describe("helpers", () => {
  it("roundToTotal gives whole numbers ≥ 1 summing to the total", () => {
    expect(roundToTotal([1, 1, 1])).toEqual([34, 33, 33]);
    expect(roundToTotal([1, 0])).toEqual([99, 1]);
    expect(roundToTotal([0, 0])).toEqual([50, 50]);
  });
});
