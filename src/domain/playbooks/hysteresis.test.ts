import { describe, expect, it } from "vitest";
import type { AccountFacts } from "./facts.js";
import type { Trigger } from "./schema.js";
import { facts, run } from "./triggers.fixture.js";

describe("evaluateTrigger: holding an open play (hysteresis)", () => {
  const cases: [Trigger, number, AccountFacts["band"], number, boolean][] = [
    // at risk (under 60), held until 63 with 3
    [{ band: "at_risk" }, 3, "at_risk", 58, true],
    [{ band: "at_risk" }, 3, "watch", 60, true],
    [{ band: "at_risk" }, 3, "watch", 62.9, true],
    [{ band: "at_risk" }, 3, "watch", 63, false],
    [{ band: "at_risk" }, 0, "watch", 60, false],
    // gone critical (worse): the score still holds the at-risk play; never a healthy one
    [{ band: "at_risk" }, 3, "critical", 50, true],
    [{ band: "at_risk" }, 3, "critical", 70, false],
    [{ band: "healthy" }, 3, "critical", 90, false],
    // watch (60–75), held from 58 to under 77 with 2
    [{ band: "watch" }, 2, "at_risk", 58, true],
    [{ band: "watch" }, 2, "at_risk", 57.9, false],
    [{ band: "watch" }, 2, "healthy", 76.9, true],
    [{ band: "watch" }, 2, "healthy", 77, false],
    // healthy (75+), held down to 73 with 2
    [{ band: "healthy" }, 2, "watch", 73, true],
    [{ band: "healthy" }, 2, "watch", 72.9, false],
    // critical has no score threshold to hold by
    [{ band: "critical" }, 3, "at_risk", 40, false],
    [{ band: "critical" }, 3, "critical", 40, true],
  ];
  it.each(cases)("%j held by %d: %s at %d → %s", (trigger, by, band, score, held) => {
    expect(run(trigger, facts({ band, score }), by).fired).toBe(held);
  });

  it("never holds without a score", () => {
    expect(run({ band: "at_risk" }, facts({ band: null, score: null }), 3).fired).toBe(false);
  });

  it("does not hold by hysteresis when opening (no holdingBy)", () => {
    expect(run({ band: "at_risk" }, facts({ band: "watch", score: 61 })).fired).toBe(false);
  });
});
