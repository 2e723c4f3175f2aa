import { describe, expect, it } from "vitest";
import { matchBands, orderedScorecard } from "./proposal-shape.js";

describe("matchBands", () => {
  it("keeps the share of scores under each threshold", () => {
    const current = Array.from({ length: 100 }, (_, i) => i + 0.5); // 60 under 60, 75 under 75
    const proposed = current.map((x) => x / 2); // everything halves
    expect(matchBands(current, proposed, { healthy: 75, watch: 60 })).toEqual({ healthy: 37, watch: 30 });
  });

  it("leaves the bands alone with nothing to match, and keeps healthy above watch", () => {
    expect(matchBands([], [1, 2], { healthy: 75, watch: 60 })).toEqual({ healthy: 75, watch: 60 });
    expect(matchBands([10, 20, 90], [50, 50, 50], { healthy: 75, watch: 60 })).toEqual({
      healthy: 51,
      watch: 50,
    });
  });
});

describe("orderedScorecard", () => {
  it("orders keys as people write them, at every level", () => {
    const out = orderedScorecard({
      categories: [
        { weight: 1, measures: [{ scale: { best: 1, type: "linear", worst: 0 }, metric: "m" }], key: "k" },
      ],
      bands: { watch: 60, healthy: 75 },
      name: "x",
    });
    expect(JSON.stringify(out)).toBe(
      '{"name":"x","bands":{"healthy":75,"watch":60},"categories":[{"key":"k","weight":1,"measures":[{"metric":"m","scale":{"type":"linear","worst":0,"best":1}}]}]}',
    );
  });
});
