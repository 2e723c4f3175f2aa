import { describe, expect, it } from "vitest";
import { parseScorecard } from "../domain/parse-scorecard.js";
import type { Scorecard } from "../domain/scorecard-schema.js";
import { sigmoid } from "./logistic.js";
import { seededRandom } from "./random.js";
import {
  recommendWeights,
  roundToTotal,
  scorecardCoefficients,
  standardisedCoefficients,
} from "./recommend.js";
import { normal } from "./synthetic.js";

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
  // m1 −3 (agrees), m2 +1 (agrees), m3 +2 (wrong sign → floor 0.05 × 3 = 0.15), m4 +1 (agrees).
  const result = recommendWeights(card(), { m1: -3, m2: 1, m3: 2, m4: 1 });

  it("weights measures by |coefficient| when the sign agrees, a floor otherwise", () => {
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
    expect(result.measures[0]?.reason).toContain(
      "higher is better and one sd higher lowers churn log-odds by 3.00",
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

  it("keeps the weights when no coefficient agrees, and keeps missing metrics at the floor", () => {
    const none = recommendWeights(card(), { m1: 1, m2: -1 });
    expect(none.changed).toBe(false);
    expect(none.scorecard).toEqual(card());
    const partial = recommendWeights(card(), { m1: -2 });
    expect(partial.measures.find((m) => m.metric === "m4")?.reason).toBe(
      "not in the model: kept at the floor",
    );
  });
});

describe("scorecardCoefficients", () => {
  it("fits the scorecard's metrics only and signs them by their effect on churn", () => {
    const random = seededRandom(8);
    const n = 5000;
    const names = ["m1", "m2", "m3", "other"];
    const columns = names.map(() => new Float64Array(n));
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      for (const c of columns) c[i] = normal(random);
      // m1 protects, m2 endangers, m3 does nothing; m4 is absent from the data.
      labels[i] =
        random.next() < sigmoid(-1 - columns[0]![i]! + 0.7 * columns[1]![i]! + 2 * columns[3]![i]!) ? 1 : 0;
    }
    const coefficients = scorecardCoefficients(card(), { names, columns, rows: n }, labels);
    expect(Object.keys(coefficients)).toEqual(["m1", "m2", "m3"]);
    expect(coefficients.m1).toBeLessThan(-0.5);
    expect(coefficients.m2).toBeGreaterThan(0.3);
    expect(Math.abs(coefficients.m3 ?? 1)).toBeLessThan(0.15);
  });
});

describe("helpers", () => {
  it("roundToTotal gives whole numbers ≥ 1 summing to the total", () => {
    expect(roundToTotal([1, 1, 1])).toEqual([34, 33, 33]);
    expect(roundToTotal([1, 0])).toEqual([99, 1]);
    expect(roundToTotal([0, 0])).toEqual([50, 50]);
  });

  it("standardisedCoefficients leaves out missing indicators", () => {
    expect(
      standardisedCoefficients({
        names: ["a", "a:missing", "b"],
        intercept: 0,
        coefficients: [1, 2, 3],
        l2: 1,
        iterations: 1,
        converged: true,
      }),
    ).toEqual({ a: 1, b: 3 });
  });
});
