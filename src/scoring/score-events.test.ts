import { describe, expect, it } from "vitest";
import type { Scored } from "./run.js";
import { scoreEvents } from "./score-events.js";

const scored = (account: string, score: number | null, band: string | null) =>
  ({ account: { id: account }, evaluation: { score, band }, metrics: {} }) as unknown as Scored;
const prior = (account: string, score: number | null, band: string | null) => ({
  account,
  score,
  band,
  churn_probability: null,
});

describe("scoreEvents: what a run of current scores announces", () => {
  it.each([
    { name: "a band that moved", prev: [80, "healthy"], now: [70, "watch"], type: "account.band_changed" },
    { name: "a band that moved up", prev: [58, "at_risk"], now: [61, "watch"], type: "account.band_changed" },
    {
      name: "a drop of exactly the points",
      prev: [74, "watch"],
      now: [64, "watch"],
      type: "account.score_dropped",
    },
    { name: "a drop under the points", prev: [74, "watch"], now: [64.5, "watch"], type: null },
    { name: "a rise", prev: [60, "watch"], now: [74, "watch"], type: null },
    { name: "no band before (first scored)", prev: [null, null], now: [70, "watch"], type: null },
    { name: "no band now (not enough data)", prev: [70, "watch"], now: [null, null], type: null },
  ] as const)("$name", ({ prev, now, type }) => {
    const events = scoreEvents([scored("a", now[0], now[1])], [prior("a", prev[0], prev[1])], 10);
    expect(events.map((e) => e.type)).toEqual(type ? [type] : []);
  });

  it("announces a band change rather than the drop that caused it, with both sides in the detail", () => {
    const [e] = scoreEvents([scored("a", 55, "at_risk")], [prior("a", 80, "healthy")], 10);
    expect(e).toEqual({
      type: "account.band_changed",
      account: "a",
      detail: { band_before: "healthy", band_after: "at_risk", score_before: 80, score_after: 55 },
    });
  });

  it("an account scored for the first time announces nothing; the team's drop points apply", () => {
    expect(scoreEvents([scored("new", 30, "at_risk")], [], 10)).toEqual([]);
    const drop = scoreEvents([scored("a", 70, "watch")], [prior("a", 74, "watch")], 3);
    expect(drop).toEqual([
      { type: "account.score_dropped", account: "a", detail: { score_before: 74, score_after: 70, drop: 4 } },
    ]);
  });
});
