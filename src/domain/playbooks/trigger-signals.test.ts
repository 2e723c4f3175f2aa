import { describe, expect, it } from "vitest";
import { daysAgo, facts, run } from "./triggers.fixture.js";

const DISPLACEMENT = [
  "competitor_mention",
  "feature_parity_request",
  "evaluating_alternatives",
  "negotiation_friction",
  "stakeholder_silence",
];
const winBack = { signals: { any_of: DISPLACEMENT, at_least: 2, within_days: 30 } };

describe("the signals condition: N of these kinds, their evidence within D days", () => {
  it.each([
    {
      name: "two kinds seen within the window",
      seen: { competitor_mention: 3, evaluating_alternatives: 20 },
      fired: true,
    },
    { name: "one kind only", seen: { competitor_mention: 3 }, fired: false },
    {
      name: "two kinds, one seen too long ago",
      seen: { competitor_mention: 3, feature_parity_request: 31 },
      fired: false,
    },
    { name: "on the window's edge", seen: { competitor_mention: 30, negotiation_friction: 0 }, fired: true },
    {
      name: "three kinds",
      seen: { competitor_mention: 1, feature_parity_request: 2, stakeholder_silence: 9 },
      fired: true,
    },
    {
      name: "a kind outside the list does not count",
      seen: { competitor_mention: 1, champion_departure: 1 },
      fired: false,
    },
  ])("$name", ({ seen, fired }) => {
    const f = facts({
      signals: Object.keys(seen),
      signal_seen: Object.fromEntries(Object.entries(seen).map(([k, d]) => [k, daysAgo(d)])),
    });
    expect(run(winBack, f).fired).toBe(fired);
  });

  it("says which kinds it counted, and how many it needs", () => {
    const f = facts({
      signals: ["competitor_mention", "executive_detractor"],
      signal_seen: { competitor_mention: daysAgo(2) },
    });
    const r = run(winBack, f);
    expect(r.fired).toBe(false);
    expect(r.reasons).toEqual(["1 of 2 needed within 30 days: competitor mention"]);
    expect(r.values).toEqual({ signals: ["competitor_mention"] });
  });

  it("without a window, the kinds present count however old their evidence (and a kind with no time too)", () => {
    const f = facts({
      signals: ["competitor_mention", "stakeholder_silence"],
      signal_seen: { competitor_mention: daysAgo(200) },
    });
    expect(run({ signals: { any_of: DISPLACEMENT, at_least: 2 } }, f).fired).toBe(true);
    expect(run(winBack, f).fired).toBe(false);
  });
});
