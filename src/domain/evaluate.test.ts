import { describe, expect, it } from "vitest";
import { DEFAULT_SCORECARD } from "./default-scorecard.js";
import { type EvaluationInput, evaluate } from "./evaluate.js";
import { parseScorecard } from "./parse-scorecard.js";
import type { Scorecard, ScorecardInput } from "./scorecard-schema.js";

function card(input: Omit<ScorecardInput, "name">): Scorecard {
  const parsed = parseScorecard({ name: "test", ...input });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scorecard;
}

const linear = (worst: number, best: number) => ({ type: "linear" as const, worst, best });
const run = (scorecard: Scorecard, values: EvaluationInput["values"], more: Partial<EvaluationInput> = {}) =>
  evaluate(scorecard, { values, signals: [], ...more });
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

// A weighs 3, B weighs 1; within A, a1 weighs 1 and a2 weighs 3.
const twoCategories = card({
  critical_signals: ["churn_notice"],
  categories: [
    {
      key: "a",
      name: "A",
      weight: 3,
      measures: [
        { metric: "a1", weight: 1, scale: linear(0, 100) },
        { metric: "a2", weight: 3, scale: linear(0, 100) },
      ],
    },
    { key: "b", name: "B", weight: 1, measures: [{ metric: "b1", scale: linear(0, 10) }] },
  ],
});

describe("weights, redistribution and completeness", () => {
  it.each([
    // A = (100·1 + 50·3)/4 = 62.5; B = 50; score = 0.75·62.5 + 0.25·50 = 59.375
    ["all present", { a1: 100, a2: 50, b1: 5 }, 59.4, [62.5, 50], [0.75, 0.25], 1, [1, 1]],
    // a2 missing: a1 takes all of A's weight: 0.75·100 + 0.25·50
    ["a measure missing", { a1: 100, b1: 5 }, 87.5, [100, 50], [0.75, 0.25], 0.438, [0.25, 1]],
    // null and NaN are missing too, never zero
    [
      "null and NaN are missing",
      { a1: 100, a2: null, b1: Number.NaN },
      100,
      [100, null],
      [1, 0],
      0.188,
      [0.25, 0],
    ],
    // B missing: A takes the whole score
    ["a category missing", { a1: 100, a2: 50 }, 62.5, [62.5, null], [1, 0], 0.75, [1, 0]],
    ["only B", { b1: 2 }, 20, [null, 20], [0, 1], 0.25, [0, 1]],
    ["zero is data", { a1: 0, a2: 0, b1: 0 }, 0, [0, 0], [0.75, 0.25], 1, [1, 1]],
  ] as const)(
    "%s",
    (_, values, score, categoryScores, categoryWeights, completeness, categoryCompleteness) => {
      const result = run(twoCategories, values);
      expect(result.score).toBe(score);
      expect(result.categories.map((c) => c.score)).toEqual(categoryScores);
      expect(result.categories.map((c) => c.weight)).toEqual(categoryWeights);
      expect(result.completeness).toBe(completeness);
      expect(result.categories.map((c) => c.completeness)).toEqual(categoryCompleteness);
    },
  );

  it("normalises weights: scaling them all changes nothing", () => {
    const scaled = structuredClone(twoCategories);
    for (const category of scaled.categories) {
      category.weight *= 10;
      for (const measure of category.measures) measure.weight *= 7;
    }
    const values = { a1: 33, a2: 71, b1: 4 };
    expect(run(scaled, values)).toEqual(run(twoCategories, values));
  });

  it("explains each measure's weights and contribution, missing ones with zeros", () => {
    const result = run(twoCategories, { a1: 100, b1: 5 });
    expect(result.explanation.measures).toEqual([
      {
        category: "a",
        metric: "a1",
        label: "a1",
        raw: 100,
        points: 100,
        weight_in_category: 1,
        effective_weight: 0.75,
        contribution: 75,
      },
      {
        category: "a",
        metric: "a2",
        label: "a2",
        raw: null,
        points: null,
        weight_in_category: 0,
        effective_weight: 0,
        contribution: 0,
      },
      {
        category: "b",
        metric: "b1",
        label: "b1",
        raw: 5,
        points: 50,
        weight_in_category: 1,
        effective_weight: 0.25,
        contribution: 12.5,
      },
    ]);
  });

  it("with no data at all: score null, band null, completeness 0", () => {
    const result = run(twoCategories, {});
    expect(result).toMatchObject({ score: null, band: null, completeness: 0 });
    expect(result.categories.map((c) => [c.score, c.weight])).toEqual([
      [null, 0],
      [null, 0],
    ]);
    expect(result.explanation).toMatchObject({ drags: [], improvements: [] });
  });
});

describe("contributions", () => {
  const full = {
    active_days_per_user_30d: 7.3,
    core_feature_adoption_30d: 0.5,
    seat_utilisation: 0.47,
    usage_trend_pct: -12,
    tickets_per_10_seats_90d: 3.1,
    ticket_sentiment_90d: 0.12,
    csat_180d: 4.1,
    urgent_tickets_open: 1,
    median_first_response_hours_90d: 6.5,
    avg_days_late_180d: 4,
    failed_payments_180d: 0,
    discount_pct_current: 15,
    seat_growth_180d: 5,
    expansion_opportunities_180d: 1,
    exec_meeting_attendance_180d: 0.4,
    strategic_reviews_2q: 1,
    engaged_stakeholders_90d: 3,
    days_since_exec_contact: 45,
  };

  it.each([
    ["every metric present", full],
    [
      "some metrics and a whole category missing",
      { ...full, csat_180d: undefined, strategic_reviews_2q: undefined },
    ],
    [
      "executive engagement missing",
      {
        ...full,
        exec_meeting_attendance_180d: undefined,
        strategic_reviews_2q: undefined,
        engaged_stakeholders_90d: undefined,
        days_since_exec_contact: undefined,
      },
    ],
  ])("add up to the score (%s)", (_, values) => {
    const result = run(DEFAULT_SCORECARD, values);
    const measures = result.explanation.measures;
    expect(sum(measures.map((m) => m.effective_weight))).toBeCloseTo(1, 12);
    expect(sum(result.categories.map((c) => c.weight))).toBeCloseTo(1, 12);
    expect(Math.round(sum(measures.map((m) => m.contribution)) * 10) / 10).toBe(result.score);
  });
});

describe("bands", () => {
  const single = card({
    critical_signals: ["churn_notice", "executive_detractor"],
    categories: [{ key: "x", name: "X", weight: 1, measures: [{ metric: "m", scale: linear(0, 100) }] }],
  });

  it.each([
    [75, 75, "healthy"],
    [74.9, 74.9, "watch"],
    [60, 60, "watch"],
    [59.9, 59.9, "at_risk"],
    [59.96, 60, "watch"], // the band follows the shown (rounded) score
    [74.96, 75, "healthy"],
  ] as const)("raw %d → score %d → %s", (value, score, band) => {
    expect(run(single, { m: value })).toMatchObject({ score, band });
  });

  it("a configured critical signal makes it critical whatever the score, and names it", () => {
    const result = run(
      single,
      { m: 95 },
      {
        signals: [
          { name: "churn_notice", detail: "asked for cancellation terms" },
          { name: "executive_sponsor_inactive" }, // not in this scorecard
        ],
      },
    );
    expect(result.score).toBe(95);
    expect(result.band).toBe("critical");
    expect(result.signals).toEqual([
      { name: "churn_notice", label: "churn notice", detail: "asked for cancellation terms" },
    ]);
    expect(result.explanation.band_reason).toBe(
      "critical: churn notice (asked for cancellation terms); score 95.0 would otherwise be healthy",
    );
  });

  it("signals the scorecard does not list are ignored", () => {
    const result = run(single, { m: 95 }, { signals: [{ name: "executive_sponsor_inactive" }] });
    expect(result).toMatchObject({ band: "healthy", signals: [] });
  });

  it("a critical signal without data is still critical", () => {
    expect(run(single, {}, { signals: [{ name: "executive_detractor" }] })).toMatchObject({
      score: null,
      band: "critical",
    });
  });
});

describe("percentile measures", () => {
  const scorecard = card({
    categories: [
      {
        key: "x",
        name: "X",
        weight: 1,
        measures: [
          { metric: "nps_latest", scale: { type: "percentile", direction: "higher_is_better" } },
          { metric: "avg_days_late_180d", scale: { type: "percentile", direction: "lower_is_better" } },
        ],
      },
    ],
  });

  it("scores rank × 100 (or its complement) and shows the rank", () => {
    const result = run(
      scorecard,
      { nps_latest: 9, avg_days_late_180d: 12 },
      { percentiles: { nps_latest: 0.8, avg_days_late_180d: 0.9 } },
    );
    expect(result.explanation.measures.map((m) => [m.raw, m.percentile, m.points])).toEqual([
      [9, 0.8, 80],
      [12, 0.9, 10],
    ]);
    expect(result.score).toBe(45);
  });

  it("is missing without a rank", () => {
    const result = run(
      scorecard,
      { nps_latest: 9, avg_days_late_180d: 12 },
      { percentiles: { nps_latest: 0.5 } },
    );
    expect(result).toMatchObject({ score: 50, completeness: 0.5 });
  });
});

describe("drags and improvements", () => {
  // Effective weights: seat utilisation 0.4, the others 0.2 each.
  const scorecard = card({
    categories: [
      {
        key: "x",
        name: "X",
        weight: 1,
        measures: [
          { metric: "seat_utilisation", weight: 2, scale: linear(0, 0.6) },
          { metric: "days_since_exec_contact", scale: linear(120, 30) },
          {
            metric: "urgent_tickets_open",
            scale: {
              type: "steps",
              steps: [
                { max: 0, points: 100 },
                { max: 1, points: 50 },
                { max: 2, points: 20 },
              ],
            },
          },
          { metric: "csat_180d", scale: linear(3, 5) },
        ],
      },
    ],
  });
  const result = run(scorecard, {
    seat_utilisation: 0.31, // 51.7 points, loses 19.3
    days_since_exec_contact: 75, // 50 points, loses 10
    urgent_tickets_open: 2, // 20 points, loses 16; the next step (1) gains 6
    csat_180d: 5, // full points
  });

  it("scores", () => {
    expect(result.score).toBe(54.7);
  });

  it("drags: by lost points, largest first", () => {
    expect(result.explanation.drags.map((d) => [d.metric, Math.round(d.lost_points * 10) / 10])).toEqual([
      ["seat_utilisation", 19.3],
      ["urgent_tickets_open", 16],
      ["days_since_exec_contact", 10],
    ]);
  });

  it("improvements: by points gained, with targets and sentences", () => {
    expect(
      result.explanation.improvements.map((i) => [
        i.metric,
        i.from,
        i.to,
        Math.round(i.points_gained * 10) / 10,
      ]),
    ).toEqual([
      ["seat_utilisation", 0.31, 0.6, 19.3],
      ["days_since_exec_contact", 75, 30, 10],
      ["urgent_tickets_open", 2, 1, 6],
    ]);
    expect(result.explanation.improvements.map((i) => i.sentence)).toEqual([
      "raising seat utilisation from 0.31 to 0.60 adds 19.3 points",
      "lowering days since executive contact from 75 to 30 adds 10 points",
      "lowering open urgent tickets from 2 to 1 adds 6 points",
    ]);
  });

  it("a gain is exactly what the score would rise by", () => {
    const [best] = result.explanation.improvements;
    const after = run(scorecard, {
      seat_utilisation: 0.6,
      days_since_exec_contact: 75,
      urgent_tickets_open: 2,
      csat_180d: 5,
    });
    const before = sum(result.explanation.measures.map((m) => m.contribution));
    const raised = sum(after.explanation.measures.map((m) => m.contribution));
    expect(raised - before).toBeCloseTo(best?.points_gained ?? 0, 10);
  });

  it("a measure's own label overrides the metric's", () => {
    const labelled = structuredClone(scorecard);
    const first = labelled.categories[0]?.measures[0];
    if (first) first.label = "seats in use";
    const [top] = run(labelled, { seat_utilisation: 0.3 }).explanation.improvements;
    expect(top?.sentence).toBe("raising seats in use from 0.30 to 0.60 adds 50 points");
  });
});
