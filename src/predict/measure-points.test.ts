import { describe, expect, it } from "vitest";
import { parseScorecard } from "../domain/parse-scorecard.js";
import { measurePoints } from "./measure-points.js";

function card() {
  const parsed = parseScorecard({
    name: "test",
    categories: [
      {
        key: "use",
        name: "Use",
        weight: 60,
        measures: [
          { metric: "logins", weight: 1, scale: { type: "linear", worst: 0, best: 20 } },
          { metric: "tickets", weight: 1, scale: { type: "linear", worst: 10, best: 0 } },
        ],
      },
      {
        key: "money",
        name: "Money",
        weight: 40,
        measures: [
          { metric: "late", weight: 1, scale: { type: "percentile", direction: "lower_is_better" } },
        ],
      },
    ],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scorecard;
}

describe("measurePoints", () => {
  // Four observations on one date; the third has no tickets, the fourth no "use" data at all.
  const set = {
    dates: ["2025-01-01", "2025-01-01", "2025-01-01", "2025-01-01"],
    segments: [null, null, null, null],
    metrics: [
      { logins: 10, tickets: 0, late: 1 },
      { logins: 20, tickets: 5, late: 3 },
      { logins: 4, late: 2 },
      { late: 0 },
    ] as Record<string, number>[],
  };

  it("gives each measure's points / 100, a missing one its category's mean in the row, else the column mean", () => {
    const p = measurePoints(set, card(), [0, 1, 2, 3]);
    expect(p.names).toEqual(["use.logins", "use.tickets", "money.late"]);
    expect(p.present).toEqual([0.75, 0.5, 1]);
    // logins: 10/20, 20/20, 4/20; the fourth row's whole category is missing: the column mean (0.5+1+0.2)/3.
    expect(Array.from(p.columns[0] ?? [])).toEqual([0.5, 1, 0.2, (0.5 + 1 + 0.2) / 3]);
    // tickets: (10−0)/10, (10−5)/10; the third row takes its logins' 0.2; the fourth the column mean of 1 and 0.5.
    expect(Array.from(p.columns[1] ?? [])).toEqual([1, 0.5, 0.2, 0.75]);
    // late by percentile among the date's four (lower is better): 0 is best, 3 worst.
    const late = Array.from(p.columns[2] ?? []);
    expect(late[3]).toBeGreaterThan(late[0] as number);
    expect(late[0]).toBeGreaterThan(late[2] as number);
    expect(late[2]).toBeGreaterThan(late[1] as number);
  });

  it("reads only the rows asked for, in their order", () => {
    const p = measurePoints(set, card(), [1, 0]);
    expect(p.rows).toBe(2);
    expect(Array.from(p.columns[0] ?? [])).toEqual([1, 0.5]);
  });
});
