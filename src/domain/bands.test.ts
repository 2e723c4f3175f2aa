import { describe, expect, it } from "vitest";
import { bandForScore, decideBand, presentSignal } from "./bands.js";

const bands = { healthy: 75, watch: 60 };

describe("bandForScore", () => {
  it.each([
    [100, "healthy"],
    [75, "healthy"],
    [74.9, "watch"],
    [60, "watch"],
    [59.9, "at_risk"],
    [0, "at_risk"],
  ] as const)("%d is %s", (score, band) => {
    expect(bandForScore(score, bands)).toBe(band);
  });

  it("follows configured thresholds", () => {
    expect(bandForScore(70, { healthy: 70, watch: 50 })).toBe("healthy");
    expect(bandForScore(49.9, { healthy: 70, watch: 50 })).toBe("at_risk");
  });
});

describe("decideBand", () => {
  it.each([
    [80, "healthy", "score 80.0 is at or above the healthy threshold (75)"],
    [60, "watch", "score 60.0 is at or above the watch threshold (60) and below healthy (75)"],
    [42.5, "at_risk", "score 42.5 is below the watch threshold (60)"],
  ] as const)("%d → %s with its reason", (score, band, reason) => {
    expect(decideBand(score, bands, [])).toEqual({ band, reason });
  });

  it("is critical whatever the number, naming the signals", () => {
    const signals = [
      presentSignal("churn_notice", "emailed to cancel"),
      presentSignal("executive_detractor"),
    ];
    expect(decideBand(92, bands, signals)).toEqual({
      band: "critical",
      reason:
        "critical: churn notice (emailed to cancel); executive detractor; score 92.0 would otherwise be healthy",
    });
  });

  it("is critical without a score when a signal is present", () => {
    expect(decideBand(null, bands, [presentSignal("churn_notice")])).toEqual({
      band: "critical",
      reason: "critical: churn notice; no data to score",
    });
  });

  it("has no band without a score or a signal", () => {
    expect(decideBand(null, bands, []).band).toBeNull();
  });
});
