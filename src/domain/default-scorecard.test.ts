import { describe, expect, it } from "vitest";
import { DEFAULT_CORE_FEATURES, DEFAULT_SCORECARD, DEFAULT_SCORECARD_YAML } from "./default-scorecard.js";
import { METRIC_NAMES } from "./metric-names.js";
import { parseScorecard, parseScorecardYaml } from "./parse-scorecard.js";

const knownMetrics = new Set<string>(METRIC_NAMES);

describe("default scorecard", () => {
  it("is valid against the metric catalogue", () => {
    expect(parseScorecard(DEFAULT_SCORECARD, { knownMetrics })).toEqual({
      ok: true,
      scorecard: DEFAULT_SCORECARD,
    });
  });

  it("as YAML is the same scorecard", () => {
    expect(parseScorecardYaml(DEFAULT_SCORECARD_YAML, { knownMetrics })).toEqual({
      ok: true,
      scorecard: DEFAULT_SCORECARD,
    });
  });

  it("weighs product engagement 40 and the other categories 20", () => {
    expect(DEFAULT_SCORECARD.categories.map((c) => [c.key, c.weight])).toEqual([
      ["product_engagement", 40],
      ["support_health", 20],
      ["financial_behaviour", 20],
      ["executive_engagement", 20],
    ]);
  });

  it("uses the default core features and bands 75/60", () => {
    expect(DEFAULT_SCORECARD.core_features).toEqual(DEFAULT_CORE_FEATURES);
    expect(DEFAULT_SCORECARD.bands).toEqual({ healthy: 75, watch: 60 });
  });
});
