import { describe, expect, it } from "vitest";
import {
  formatPoints,
  formatValue,
  improvementSentence,
  type MeasureExplanation,
  topDrags,
  topImprovements,
} from "./explain.js";

describe("formatting", () => {
  it.each([
    [0.31, "0.31"],
    [0.6, "0.60"],
    [-0.25, "-0.25"],
    [4.25, "4.3"],
    [12, "12"],
    [-40, "-40"],
  ])("formatValue(%d) = %s", (value, text) => {
    expect(formatValue(value)).toBe(text);
  });

  it.each([
    [7, "7 points"],
    [6.84, "6.8 points"],
    [1.02, "1 point"],
    [0.04, "less than 0.1 points"],
  ])("formatPoints(%d) = %s", (points, text) => {
    expect(formatPoints(points)).toBe(text);
  });

  it.each([
    ["seat utilisation", 0.31, 0.6, 7, "raising seat utilisation from 0.31 to 0.60 adds 7 points"],
    [
      "days since executive contact",
      75,
      30,
      10,
      "lowering days since executive contact from 75 to 30 adds 10 points",
    ],
    ["NPS", 3, null, 4.5, "bringing NPS to the best in its segment adds 4.5 points"],
  ] as const)("sentence for %s", (label, from, to, gained, sentence) => {
    expect(improvementSentence(label, from, to, gained)).toBe(sentence);
  });
});

const measure = (metric: string, points: number, effective: number): MeasureExplanation => ({
  category: "c",
  metric,
  label: metric,
  raw: points,
  points,
  weight_in_category: effective,
  effective_weight: effective,
  contribution: points * effective,
});

describe("top lists", () => {
  const measures = [
    measure("a", 90, 0.25), // loses 2.5
    measure("b", 50, 0.25), // loses 12.5
    measure("c", 100, 0.2), // loses nothing
    measure("d", 0, 0.1), // loses 10
    measure("e", 75, 0.2), // loses 5
  ];

  it("drags: the three largest losses, largest first, none at full points", () => {
    expect(topDrags(measures).map((d) => [d.metric, d.lost_points])).toEqual([
      ["b", 12.5],
      ["d", 10],
      ["e", 5],
    ]);
  });

  it("improvements: the three largest gains, ties in configuration order", () => {
    const at = (i: number) => measures[i] as MeasureExplanation;
    const list = topImprovements([
      { measure: at(0), target: { to: 100, points: 100 } }, // gains 2.5
      { measure: at(1), target: { to: 60, points: 60 } }, // gains 2.5
      { measure: at(3), target: { to: 100, points: 100 } }, // gains 10
      { measure: at(4), target: { to: 80, points: 80 } }, // gains 1
    ]);
    expect(list.map((i) => [i.metric, i.points_gained])).toEqual([
      ["d", 10],
      ["a", 2.5],
      ["b", 2.5],
    ]);
    expect(list[0]?.sentence).toBe("raising d from 0 to 100 adds 10 points");
  });
});
