import { describe, expect, it } from "vitest";
import { type MeasureInput, scalePoints, scaleTarget } from "./scales.js";
import type { Scale } from "./scorecard-schema.js";

const raw = (value: number | null): MeasureInput => ({ raw: value, percentile: null });
const rank = (percentile: number | null, value: number | null = null): MeasureInput => ({
  raw: value,
  percentile,
});

const higher: Scale = { type: "linear", worst: 2, best: 15 };
const lower: Scale = { type: "linear", worst: 30, best: 0 };
const minSteps: Scale = {
  type: "steps",
  steps: [
    { min: 0, points: 0 },
    { min: 0.3, points: 50 },
    { min: 0.6, points: 100 },
  ],
};
const maxSteps: Scale = {
  type: "steps",
  steps: [
    { max: 0, points: 100 },
    { max: 1, points: 50 },
    { max: 2, points: 20 },
  ],
};
const pctHigher: Scale = { type: "percentile", direction: "higher_is_better" };
const pctLower: Scale = { type: "percentile", direction: "lower_is_better" };

describe("scalePoints", () => {
  it.each([
    ["linear at worst", higher, raw(2), 0],
    ["linear at best", higher, raw(15), 100],
    ["linear halfway", higher, raw(8.5), 50],
    ["linear clamps below worst", higher, raw(-4), 0],
    ["linear clamps above best", higher, raw(40), 100],
    ["linear lower-is-better at best", lower, raw(0), 100],
    ["linear lower-is-better a third of the way", lower, raw(10), (20 / 30) * 100],
    ["linear lower-is-better clamps past worst", lower, raw(90), 0],
    ["linear lower-is-better clamps past best", lower, raw(-5), 100],
    ["min steps below the first step", minSteps, raw(-1), 0],
    ["min steps exactly on a threshold", minSteps, raw(0.3), 50],
    ["min steps between thresholds", minSteps, raw(0.59), 50],
    ["min steps above the last threshold", minSteps, raw(5), 100],
    ["max steps at the best step", maxSteps, raw(0), 100],
    ["max steps exactly on a threshold", maxSteps, raw(1), 50],
    ["max steps between thresholds", maxSteps, raw(1.5), 20],
    ["max steps above the last max", maxSteps, raw(3), 0],
    ["percentile higher-is-better", pctHigher, rank(0.8), 80],
    ["percentile lower-is-better", pctLower, rank(0.8), 20],
    ["percentile clamps the rank", pctHigher, rank(1.2), 100],
  ] as const)("%s", (_, scale, input, points) => {
    expect(scalePoints(scale, input)).toBeCloseTo(points, 10);
  });

  it.each([
    ["linear without a value", higher, raw(null)],
    ["steps without a value", maxSteps, raw(null)],
    ["percentile without a rank, even with a value", pctHigher, rank(null, 42)],
  ] as const)("%s has no points (missing, never zero)", (_, scale, input) => {
    expect(scalePoints(scale, input)).toBeNull();
  });
});

describe("scaleTarget", () => {
  it.each([
    ["linear aims at best", higher, raw(5), { to: 15, points: 100 }],
    ["linear lower-is-better aims at best", lower, raw(12), { to: 0, points: 100 }],
    ["min steps aim at the next step", minSteps, raw(0.1), { to: 0.3, points: 50 }],
    [
      "min steps below all steps aim at the first that earns points",
      minSteps,
      raw(-1),
      { to: 0.3, points: 50 },
    ],
    ["max steps aim at the next step down", maxSteps, raw(2), { to: 1, points: 50 }],
    ["max steps above all steps aim at the last step", maxSteps, raw(7), { to: 2, points: 20 }],
    ["percentile aims at the best rank", pctLower, rank(0.6), { to: null, points: 100 }],
  ] as const)("%s", (_, scale, input, target) => {
    expect(scaleTarget(scale, input)).toEqual(target);
  });

  it.each([
    ["linear at full points", higher, raw(20)],
    ["steps at the top step", maxSteps, raw(0)],
    ["missing data", higher, raw(null)],
  ] as const)("none for %s", (_, scale, input) => {
    expect(scaleTarget(scale, input)).toBeUndefined();
  });

  it("skips steps that do not earn more points", () => {
    const scale: Scale = {
      type: "steps",
      steps: [
        { min: 0, points: 40 },
        { min: 1, points: 30 },
        { min: 2, points: 90 },
      ],
    };
    expect(scaleTarget(scale, raw(0.5))).toEqual({ to: 2, points: 90 });
  });
});
