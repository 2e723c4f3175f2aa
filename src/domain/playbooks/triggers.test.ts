import { describe, expect, it } from "vitest";
import { DAY_MS } from "./durations.js";
import type { AccountFacts } from "./facts.js";
import type { Trigger } from "./schema.js";
import { BANDS, daysAgo, facts, NOW, run } from "./triggers.fixture.js";
import { evaluateTrigger } from "./triggers.js";

describe("evaluateTrigger: each kind, with its reason in words", () => {
  const cases: [string, Trigger, Partial<AccountFacts>, boolean, string[]][] = [
    // band
    [
      "watch entered",
      { band: "watch" },
      { score: 68, band: "watch" },
      true,
      ["watch: score 68, between 60 and 75"],
    ],
    [
      "watch, with the 30-day fall",
      { band: "watch" },
      { score: 68, band: "watch", history: [{ at: daysAgo(20), score: 72 }] },
      true,
      ["watch: score 68, between 60 and 75; fell from 72 within 30 days"],
    ],
    [
      "at risk, with the 30-day fall",
      { band: "at_risk" },
      { score: 58, band: "at_risk", history: [{ at: daysAgo(30), score: 71 }] },
      true,
      ["at risk: score 58, under 60; fell from 71 within 30 days"],
    ],
    [
      "healthy, risen",
      { band: "healthy" },
      { score: 80, band: "healthy", history: [{ at: daysAgo(10), score: 70 }] },
      true,
      ["healthy: score 80, at or above 75; rose from 70 within 30 days"],
    ],
    [
      "a move under one point is not mentioned",
      { band: "healthy" },
      { score: 80, band: "healthy", history: [{ at: daysAgo(10), score: 80.4 }] },
      true,
      ["healthy: score 80, at or above 75"],
    ],
    [
      "a score older than 30 days is not the move",
      { band: "at_risk" },
      { score: 58, band: "at_risk", history: [{ at: daysAgo(62), score: 90 }] },
      true,
      ["at risk: score 58, under 60"],
    ],
    [
      "critical names its signals",
      { band: "critical" },
      { score: 70, band: "critical", signals: ["churn_notice", "executive_detractor"] },
      true,
      ["critical: churn notice, executive detractor (score 70)"],
    ],
    [
      "critical with no score",
      { band: "critical" },
      { score: null, band: "critical", signals: [] },
      true,
      ["critical: a dissatisfaction signal (no score)"],
    ],
    [
      "a fractional score",
      { band: "at_risk" },
      { score: 57.25, band: "at_risk" },
      true,
      ["at risk: score 57.3, under 60"],
    ],
    ["another band", { band: "at_risk" }, { score: 68, band: "watch" }, false, ["band is watch"]],
    ["no band", { band: "watch" }, { score: null, band: null }, false, ["band is unknown"]],
    [
      "a list of bands: the one that holds",
      { band: ["at_risk", "critical"] },
      { score: 55, band: "at_risk" },
      true,
      ["at risk: score 55, under 60"],
    ],
    [
      "a list of bands: the other",
      { band: ["at_risk", "critical"] },
      { score: 55, band: "critical", signals: ["churn_notice"] },
      true,
      ["critical: churn notice (score 55)"],
    ],
    [
      "a list of bands: none holds",
      { band: ["at_risk", "critical"] },
      { band: "healthy", score: 90 },
      false,
      ["band is healthy"],
    ],
    // score_drop: the highest score within the window, before now
    [
      "a drop of 13 within 30 days",
      { score_drop: { points: 10, days: 30 } },
      {
        score: 58,
        history: [
          { at: daysAgo(20), score: 71 },
          { at: daysAgo(5), score: 64 },
          { at: daysAgo(70), score: 95 },
        ],
      },
      true,
      ["score fell from 71 to 58 in 30 days"],
    ],
    [
      "the drop exactly equal to the points fires",
      { score_drop: { points: 13, days: 30 } },
      { score: 58, history: [{ at: daysAgo(20), score: 71 }] },
      true,
      ["score fell from 71 to 58 in 30 days"],
    ],
    [
      "a longer window reaches an older, higher score",
      { score_drop: { points: 30, days: 60 } },
      {
        score: 58,
        history: [
          { at: daysAgo(20), score: 71 },
          { at: daysAgo(70), score: 95 },
        ],
      },
      true,
      ["score fell from 95 to 58 in 60 days"],
    ],
    [
      "the window's first day counts; null scores do not",
      { score_drop: { points: 10, days: 30 } },
      {
        score: 58,
        history: [
          { at: daysAgo(30), score: 70 },
          { at: daysAgo(10), score: null },
        ],
      },
      true,
      ["score fell from 70 to 58 in 30 days"],
    ],
    [
      "a score at now (or later) is not history",
      { score_drop: { points: 10, days: 30 } },
      {
        score: 58,
        history: [
          { at: NOW.toISOString(), score: 90 },
          { at: new Date(NOW.getTime() + DAY_MS).toISOString(), score: 90 },
        ],
      },
      false,
      ["no score within 30 days to compare"],
    ],
    [
      "too small a drop",
      { score_drop: { points: 15, days: 30 } },
      { score: 58, history: [{ at: daysAgo(20), score: 71 }] },
      false,
      ["score 58, down 13 from 71 within 30 days (under 15)"],
    ],
    [
      "a rise is no drop",
      { score_drop: { points: 5, days: 30 } },
      { score: 70, history: [{ at: daysAgo(20), score: 60 }] },
      false,
      ["score 70, not down from 60 within 30 days"],
    ],
    [
      "no history",
      { score_drop: { points: 10, days: 30 } },
      { score: 58, history: [] },
      false,
      ["no score within 30 days to compare"],
    ],
    [
      "no current score",
      { score_drop: { points: 10, days: 30 } },
      { score: null, history: [{ at: daysAgo(20), score: 71 }] },
      false,
      ["no score within 30 days to compare"],
    ],
    // model_flag
    [
      "flagged",
      { model_flag: true },
      { flagged: true, churn_probability: 0.42 },
      true,
      ["flagged by the churn model (churn probability 42%)"],
    ],
    [
      "not flagged",
      { model_flag: true },
      { flagged: false, churn_probability: 0.1 },
      false,
      ["not flagged by the churn model"],
    ],
    // churn_probability
    [
      "probability above",
      { churn_probability: { at_least: 0.3 } },
      { churn_probability: 0.35 },
      true,
      ["churn probability 35% at or above 30%"],
    ],
    [
      "probability equal",
      { churn_probability: { at_least: 0.55 } },
      { churn_probability: 0.55 },
      true,
      ["churn probability 55% at or above 55%"],
    ],
    [
      "probability below",
      { churn_probability: { at_least: 0.3 } },
      { churn_probability: 0.29 },
      false,
      ["churn probability 29% below 30%"],
    ],
    [
      "a fractional percentage",
      { churn_probability: { at_least: 0.125 } },
      { churn_probability: 0.1234 },
      false,
      ["churn probability 12.3% below 12.5%"],
    ],
    [
      "no probability",
      { churn_probability: { at_least: 0.3 } },
      { churn_probability: null },
      false,
      ["no churn probability"],
    ],
    // signal
    [
      "a signal present",
      { signal: "competitor_mention" },
      { signals: ["competitor_mention"] },
      true,
      ["signal: competitor mention"],
    ],
    [
      "a list of signals: the ones present",
      { signal: ["churn_notice", "competitor_mention", "low_usage"] },
      { signals: ["low_usage", "churn_notice"] },
      true,
      ["signal: churn notice, low usage"],
    ],
    [
      "no such signal",
      { signal: ["churn_notice"] },
      { signals: ["competitor_mention"] },
      false,
      ["no such signal"],
    ],
    // renewal (dates are days, from now's UTC date)
    [
      "renewal within the window while watch",
      { renewal: { within_days: 90 } },
      { renewal_date: "2025-07-01", band: "watch" },
      true,
      ["renewal in 30 days (2025-07-01) while watch"],
    ],
    [
      "renewal on the window's last day",
      { renewal: { within_days: 30 } },
      { renewal_date: "2025-07-01", band: "at_risk", score: 50 },
      true,
      ["renewal in 30 days (2025-07-01) while at risk"],
    ],
    [
      "renewal a day past the window",
      { renewal: { within_days: 29 } },
      { renewal_date: "2025-07-01", band: "at_risk", score: 50 },
      false,
      ["renewal in 30 days (2025-07-01) while at risk"],
    ],
    [
      "renewal today",
      { renewal: { within_days: 30 } },
      { renewal_date: "2025-06-01", band: "watch" },
      true,
      ["renewal in 0 days (2025-06-01) while watch"],
    ],
    [
      "renewal past",
      { renewal: { within_days: 30 } },
      { renewal_date: "2025-05-31", band: "watch" },
      false,
      ["renewal in -1 days (2025-05-31) while watch"],
    ],
    [
      "renewal while healthy",
      { renewal: { within_days: 90 } },
      { renewal_date: "2025-07-01", band: "healthy", score: 80 },
      false,
      ["renewal in 30 days (2025-07-01) while healthy"],
    ],
    [
      "renewal while unscored",
      { renewal: { within_days: 90 } },
      { renewal_date: "2025-07-01", band: null, score: null },
      false,
      ["renewal in 30 days (2025-07-01) while unscored"],
    ],
    ["no renewal date", { renewal: { within_days: 90 } }, { renewal_date: null }, false, ["no renewal date"]],
    // metric
    [
      "metric below",
      { metric: { name: "nps", below: 20 } },
      { metrics: { nps: 10 } },
      true,
      ["nps 10 is below 20"],
    ],
    [
      "metric not below",
      { metric: { name: "nps", below: 20 } },
      { metrics: { nps: 30 } },
      false,
      ["nps 30 is not below 20"],
    ],
    [
      "metric equal is not below",
      { metric: { name: "nps", below: 20 } },
      { metrics: { nps: 20 } },
      false,
      ["nps 20 is not below 20"],
    ],
    [
      "metric above",
      { metric: { name: "tickets_open", above: 3 } },
      { metrics: { tickets_open: 5 } },
      true,
      ["tickets_open 5 is above 3"],
    ],
    [
      "metric equal is not above",
      { metric: { name: "tickets_open", above: 3 } },
      { metrics: { tickets_open: 3 } },
      false,
      ["tickets_open 3 is not above 3"],
    ],
    [
      "metric between",
      { metric: { name: "seats", above: 0.2, below: 0.5 } },
      { metrics: { seats: 0.25 } },
      true,
      ["seats 0.25 is above 0.2 and below 0.5"],
    ],
    [
      "a share keeps its decimals",
      { metric: { name: "seats", below: 0.5 } },
      { metrics: { seats: 0.45 } },
      true,
      ["seats 0.45 is below 0.5"],
    ],
    [
      "metric outside",
      { metric: { name: "seats", above: 0.2, below: 0.5 } },
      { metrics: { seats: 0.6 } },
      false,
      ["seats 0.6 is not above 0.2 and below 0.5"],
    ],
    [
      "metric null",
      { metric: { name: "nps", below: 20 } },
      { metrics: { nps: null } },
      false,
      ["no value of nps"],
    ],
    ["metric missing", { metric: { name: "nps", below: 20 } }, { metrics: {} }, false, ["no value of nps"]],
    [
      "a metric named like an Object method is just missing",
      { metric: { name: "constructor", above: 1 } },
      { metrics: {} },
      false,
      ["no value of constructor"],
    ],
    // all / any
    [
      "all holding: every reason",
      { all: [{ score_drop: { points: 10, days: 30 } }, { band: "at_risk" }] },
      { score: 58, band: "at_risk", history: [{ at: daysAgo(30), score: 71 }] },
      true,
      ["score fell from 71 to 58 in 30 days", "at risk: score 58, under 60; fell from 71 within 30 days"],
    ],
    [
      "all, one missing: what was missing",
      { all: [{ band: "watch" }, { signal: "competitor_mention" }, { model_flag: true }] },
      { score: 68, band: "watch", flagged: true, churn_probability: 0.5 },
      false,
      ["no such signal"],
    ],
    [
      "any: only what fired",
      { any: [{ signal: "competitor_mention" }, { model_flag: true }, { band: "watch" }] },
      { score: 68, band: "watch", flagged: true, churn_probability: 0.5 },
      true,
      ["flagged by the churn model (churn probability 50%)", "watch: score 68, between 60 and 75"],
    ],
    [
      "any, none: every reason",
      { any: [{ signal: "competitor_mention" }, { model_flag: true }] },
      {},
      false,
      ["no such signal", "not flagged by the churn model"],
    ],
    [
      "nested: all of (any of …) and a band",
      {
        all: [
          { any: [{ churn_probability: { at_least: 0.4 } }, { signal: "competitor_mention" }] },
          { band: ["watch", "at_risk"] },
        ],
      },
      { score: 62, band: "watch", signals: ["competitor_mention"], churn_probability: 0.1 },
      true,
      ["signal: competitor mention", "watch: score 62, between 60 and 75"],
    ],
    [
      "nested: the inner any fails",
      {
        all: [
          { any: [{ churn_probability: { at_least: 0.4 } }, { signal: "competitor_mention" }] },
          { band: "watch" },
        ],
      },
      { score: 62, band: "watch", churn_probability: 0.1 },
      false,
      ["churn probability 10% below 40%", "no such signal"],
    ],
    [
      "nested: any of (all of …)",
      { any: [{ all: [{ band: "healthy" }, { model_flag: true }] }, { renewal: { within_days: 10 } }] },
      { score: 80, band: "healthy", flagged: true, churn_probability: 0.3 },
      true,
      ["healthy: score 80, at or above 75", "flagged by the churn model (churn probability 30%)"],
    ],
  ];

  it.each(cases)("%s", (_name, trigger, over, fired, reasons) => {
    const r = run(trigger, facts(over));
    expect(r.fired).toBe(fired);
    expect(r.reasons).toEqual(reasons);
  });

  it("records the values behind the condition", () => {
    const f = facts({
      score: 58,
      band: "at_risk",
      history: [{ at: daysAgo(20), score: 71 }],
      churn_probability: 0.4,
    });
    expect(run({ score_drop: { points: 10, days: 30 } }, f).values).toEqual({
      score: 58,
      score_before: 71,
      drop_days: 30,
    });
    expect(run({ band: "at_risk" }, f).values).toEqual({ band: "at_risk", score: 58 });
    expect(run({ renewal: { within_days: 60 } }, facts({ renewal_date: "2025-06-11" })).values).toEqual({
      renewal_date: "2025-06-11",
      days_to_renewal: 10,
      band: "watch",
    });
    expect(run({ metric: { name: "nps", below: 0 } }, facts({ metrics: { nps: -5 } })).values).toEqual({
      nps: -5,
    });
    expect(run({ all: [{ band: "at_risk" }, { churn_probability: { at_least: 0.3 } }] }, f).values).toEqual({
      band: "at_risk",
      score: 58,
      churn_probability: 0.4,
    });
  });

  it("counts renewal days from today's date, whatever the hour", () => {
    const noon = new Date("2025-06-01T12:00:00Z");
    const late = new Date("2025-06-01T23:59:00Z");
    const t: Trigger = { renewal: { within_days: 30 } };
    for (const now of [noon, late]) {
      const today = evaluateTrigger(t, facts({ renewal_date: "2025-06-01" }), { now, bands: BANDS });
      expect(today.fired).toBe(true);
      expect(today.reasons).toEqual(["renewal in 0 days (2025-06-01) while watch"]);
      const tomorrow = evaluateTrigger(t, facts({ renewal_date: "2025-06-02" }), { now, bands: BANDS });
      expect(tomorrow.reasons).toEqual(["renewal in 1 days (2025-06-02) while watch"]);
    }
  });
});
