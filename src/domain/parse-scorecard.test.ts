import { describe, expect, it } from "vitest";
import { formatPath } from "./config-parse.js";
import { formatScorecardErrors, parseScorecard, parseScorecardYaml } from "./parse-scorecard.js";

const valid = () => ({
  name: "Test",
  bands: { healthy: 75, watch: 60 },
  critical_signals: ["churn_notice"],
  categories: [
    {
      key: "usage",
      name: "Usage",
      weight: 60,
      measures: [{ metric: "seat_utilisation", weight: 1, scale: { type: "linear", worst: 0.3, best: 0.9 } }],
    },
    {
      key: "support",
      name: "Support",
      weight: 40,
      measures: [
        { metric: "csat_180d", weight: 2, scale: { type: "linear", worst: 3, best: 4.7 } },
        {
          metric: "urgent_tickets_open",
          weight: 1,
          scale: {
            type: "steps",
            steps: [
              { max: 0, points: 100 },
              { max: 1, points: 50 },
            ],
          },
        },
        { metric: "nps_latest", scale: { type: "percentile", direction: "higher_is_better" } },
      ],
    },
  ],
});

type Path = (string | number)[];
const DELETE = Symbol("delete");

/** A copy of the valid scorecard with the value at `path` replaced (or deleted). */
function withValue(path: Path, value: unknown): unknown {
  const card: unknown = valid();
  let node = card as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (value === DELETE) delete node[last];
  else node[last] = value;
  return card;
}

function errorsOf(input: unknown, options?: Parameters<typeof parseScorecard>[1]): string[] {
  const result = parseScorecard(input, options);
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
}

const M1 = ["categories", 1, "measures"];
const STEPS = [...M1, 1, "scale", "steps"];

describe("parseScorecard", () => {
  it("accepts a valid scorecard and fills defaults", () => {
    const card = withValue(["bands"], DELETE) as Record<string, unknown>;
    delete card.critical_signals;
    const result = parseScorecard(card);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.scorecard.bands).toEqual({ healthy: 75, watch: 60 });
    expect(result.scorecard.core_features).toEqual([]);
    expect(result.scorecard.critical_signals).toEqual([]);
    expect(result.scorecard.categories[1]?.measures[2]?.weight).toBe(1);
  });

  it.each<[string, Path, unknown, string]>([
    [
      "linear worst = best",
      [...M1, 0, "scale", "best"],
      3,
      "categories[1].measures[0].scale.best: must differ from worst",
    ],
    [
      "zero category weight",
      ["categories", 0, "weight"],
      0,
      "categories[0].weight: must be a positive number",
    ],
    [
      "negative measure weight",
      [...M1, 1, "weight"],
      -2,
      "categories[1].measures[1].weight: must be a positive number",
    ],
    ["weight not a number", ["categories", 0, "weight"], "high", "categories[0].weight: must be a number"],
    ["weight missing", ["categories", 0, "weight"], DELETE, "categories[0].weight: is required"],
    ["no categories", ["categories"], [], "categories: must have at least one category"],
    [
      "no measures",
      ["categories", 0, "measures"],
      [],
      "categories[0].measures: must have at least one measure",
    ],
    [
      "duplicate category key",
      ["categories", 1, "key"],
      "usage",
      'categories[1].key: duplicate key "usage" (also at [0])',
    ],
    [
      "duplicate metric in a category",
      [...M1, 2, "metric"],
      "csat_180d",
      'categories[1].measures[2].metric: duplicate metric "csat_180d" (also at [0])',
    ],
    [
      "bad category key",
      ["categories", 0, "key"],
      "Usage Key",
      "categories[0].key: must be lowercase letters, digits and underscores, starting with a letter",
    ],
    ["empty name", ["name"], "  ", "name: must not be empty"],
    ["bands healthy <= watch", ["bands", "healthy"], 60, "bands.healthy: must be greater than watch (60)"],
    ["band out of range", ["bands", "watch"], -1, "bands.watch: must be between 0 and 100"],
    [
      "unknown critical signal",
      ["critical_signals", 1],
      "angry_ceo",
      'critical_signals[1]: unknown critical signal "angry_ceo" (known: open_cancellation_or_escalation_ticket, executive_detractor, executive_sponsor_inactive, churn_notice)',
    ],
    [
      "unknown scale type",
      ["categories", 0, "measures", 0, "scale"],
      { type: "log" },
      'categories[0].measures[0].scale.type: must be one of "linear", "steps", "percentile"',
    ],
    [
      "bad percentile direction",
      [...M1, 2, "scale", "direction"],
      "up",
      'categories[1].measures[2].scale.direction: must be one of "higher_is_better", "lower_is_better"',
    ],
    ["empty steps", STEPS, [], "categories[1].measures[1].scale.steps: must have at least one step"],
    [
      "steps out of order",
      [...STEPS, 1, "max"],
      0,
      "categories[1].measures[1].scale.steps[1].max: must be greater than steps[0].max (0)",
    ],
    [
      "steps mixing min and max",
      [...STEPS, 1],
      { min: 2, points: 0 },
      "categories[1].measures[1].scale.steps[1]: must use max like steps[0]",
    ],
    [
      "step with neither min nor max",
      [...STEPS, 1],
      { points: 0 },
      "categories[1].measures[1].scale.steps[1]: must have either min or max",
    ],
    [
      "step with both min and max",
      [...STEPS, 1],
      { min: 1, max: 2, points: 0 },
      "categories[1].measures[1].scale.steps[1]: must have min or max, not both",
    ],
    [
      "step points over 100",
      [...STEPS, 0, "points"],
      150,
      "categories[1].measures[1].scale.steps[0].points: must be between 0 and 100",
    ],
    [
      "NaN in a scale",
      ["categories", 0, "measures", 0, "scale", "worst"],
      Number.NaN,
      "categories[0].measures[0].scale.worst: must be a finite number",
    ],
    [
      "misspelt field",
      ["categories", 0, "measures", 0, "wieght"],
      2,
      "categories[0].measures[0].wieght: unknown field",
    ],
  ])("%s", (_, path, value, expected) => {
    expect(errorsOf(withValue(path, value))).toEqual([expected]);
  });

  it("reports every error at once", () => {
    const card = withValue(["categories", 0, "weight"], -1) as ReturnType<typeof valid>;
    const [usage, support] = card.categories;
    if (usage === undefined || support === undefined) throw new Error("fixture");
    support.key = "usage";
    const linear = support.measures[0]?.scale as { best: number };
    linear.best = 3;
    expect(errorsOf(card)).toEqual([
      "categories[0].weight: must be a positive number",
      "categories[1].measures[0].scale.best: must differ from worst",
      'categories[1].key: duplicate key "usage" (also at [0])',
    ]);
  });

  it("reports a document that is not an object at the root", () => {
    expect(parseScorecard([1, 2])).toEqual({
      ok: false,
      errors: [{ path: "", message: "must be an object" }],
    });
  });

  it("checks metrics against the known list when given", () => {
    const knownMetrics = new Set(["seat_utilisation", "csat_180d", "urgent_tickets_open", "nps_latest"]);
    const foo = withValue([...M1, 2, "metric"], "foo");
    expect(errorsOf(valid(), { knownMetrics })).toEqual([]);
    expect(errorsOf(foo, { knownMetrics })).toEqual([
      'categories[1].measures[2].metric: unknown metric "foo"',
    ]);
    expect(errorsOf(foo)).toEqual([]);
  });
});

describe("parseScorecardYaml", () => {
  it("reports YAML syntax errors with line and column", () => {
    const result = parseScorecardYaml("name: x\nbands: { healthy: 75, watch: 60\ncategories: []\n");
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: "",
          message:
            "YAML syntax error at line 3, column 1: Flow map in block collection must be sufficiently indented and end with a }",
          line: 3,
          column: 1,
        },
      ],
    });
  });

  it("reports duplicate keys as syntax errors", () => {
    const result = parseScorecardYaml("name: a\nname: b\n");
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      "YAML syntax error at line 2, column 1: Map keys must be unique",
    ]);
  });

  it("points validation errors at the offending line", () => {
    const text = [
      "name: Test",
      "categories:",
      "  - key: usage",
      "    name: Usage",
      "    weight: 1",
      "    measures:",
      "      - metric: seat_utilisation",
      "        scale: { type: linear, worst: 0.5, best: 0.5 }",
      "      - metric: csat_180d",
      "",
    ].join("\n");
    const result = parseScorecardYaml(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      {
        path: "categories[0].measures[0].scale.best",
        message: "must differ from worst",
        line: 8,
        column: 50,
      },
      { path: "categories[0].measures[1].scale", message: "is required", line: 9, column: 9 },
    ]);
    expect(formatScorecardErrors(result.errors)).toBe(
      "line 8: categories[0].measures[0].scale.best: must differ from worst\n" +
        "line 9: categories[0].measures[1].scale: is required",
    );
  });

  it("reports an empty document", () => {
    expect(parseScorecardYaml("# nothing\n")).toEqual({
      ok: false,
      errors: [{ path: "", message: "the document is empty; expected a scorecard" }],
    });
  });
});

describe("formatPath", () => {
  it.each([
    [[], ""],
    [["bands", "healthy"], "bands.healthy"],
    [["categories", 1, "measures", 0, "scale", "best"], "categories[1].measures[0].scale.best"],
  ])("%j → %s", (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});
