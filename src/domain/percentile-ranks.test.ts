import { describe, expect, it } from "vitest";
import { percentileRanks } from "./percentile-ranks.js";

const ranks = (rows: Parameters<typeof percentileRanks>[0]) => Object.fromEntries(percentileRanks(rows));

describe("percentileRanks", () => {
  it.each([
    [
      "spreads 0..1 within a segment",
      [
        { account: "a", segment: "smb", value: 10 },
        { account: "b", segment: "smb", value: 30 },
        { account: "c", segment: "smb", value: 20 },
      ],
      { a: 0, c: 0.5, b: 1 },
    ],
    [
      "ranks each segment on its own",
      [
        { account: "a", segment: "smb", value: 1 },
        { account: "b", segment: "smb", value: 2 },
        { account: "c", segment: "enterprise", value: 100 },
        { account: "d", segment: "enterprise", value: 50 },
      ],
      { a: 0, b: 1, c: 1, d: 0 },
    ],
    [
      "gives ties the average rank",
      [
        { account: "a", segment: "s", value: 1 },
        { account: "b", segment: "s", value: 2 },
        { account: "c", segment: "s", value: 2 },
        { account: "d", segment: "s", value: 3 },
        { account: "e", segment: "s", value: 4 },
      ],
      { a: 0, b: 0.375, c: 0.375, d: 0.75, e: 1 },
    ],
    ["gives a lone account 0.5", [{ account: "a", segment: "s", value: 7 }], { a: 0.5 }],
    [
      "gives an all-tied segment 0.5",
      [
        { account: "a", segment: "s", value: 3 },
        { account: "b", segment: "s", value: 3 },
      ],
      { a: 0.5, b: 0.5 },
    ],
    [
      "skips missing values and groups accounts without a segment",
      [
        { account: "a", segment: null, value: 1 },
        { account: "b", segment: undefined, value: 2 },
        { account: "c", segment: null, value: null },
        { account: "d", segment: null, value: Number.NaN },
      ],
      { a: 0, b: 1 },
    ],
  ])("%s", (_, rows, expected) => {
    expect(ranks(rows)).toEqual(expected);
  });
});
