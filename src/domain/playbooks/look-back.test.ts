import { describe, expect, it } from "vitest";
import { daysAgo, facts, NOW } from "./triggers.fixture.js";
import { lookBackDays, metricsUsed, scoreDaysAgo } from "./triggers.js";

describe("scoreDaysAgo, lookBackDays, metricsUsed", () => {
  it("takes the score as of `days` ago (the last snapshot at or before, at most a month older) or any higher since", () => {
    const f = facts({
      history: [
        { at: daysAgo(7), score: 60 },
        { at: daysAgo(14), score: 66 },
        { at: daysAgo(15), score: 90 },
      ],
    });
    expect(scoreDaysAgo(f, 14, NOW)).toBe(66);
    expect(scoreDaysAgo(f, 7, NOW)).toBe(60);
    // Monthly history: the snapshot just before the window stands for the score then.
    expect(scoreDaysAgo(f, 6, NOW)).toBe(60);
    expect(scoreDaysAgo(facts({ history: [{ at: daysAgo(40), score: 60 }] }), 6, NOW)).toBeNull();
    expect(scoreDaysAgo(f, 15, NOW)).toBe(90);
  });

  it("looks back at least 30 days, or the longest drop window, nested too", () => {
    // With the month before the window: the snapshot that stands for its start.
    expect(lookBackDays([{ band: "watch" }])).toBe(61);
    expect(
      lookBackDays([
        { score_drop: { points: 5, days: 14 } },
        { any: [{ all: [{ score_drop: { points: 5, days: 90 } }] }] },
      ]),
    ).toBe(121);
  });

  it("lists the metrics the conditions read, once each", () => {
    expect(
      metricsUsed([
        { metric: { name: "nps", below: 0 } },
        {
          all: [
            { metric: { name: "seats", below: 0.3 } },
            { any: [{ metric: { name: "nps", below: -10 } }] },
          ],
        },
        { band: "watch" },
      ]).sort(),
    ).toEqual(["nps", "seats"]);
  });
});
