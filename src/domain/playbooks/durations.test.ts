import { describe, expect, it } from "vitest";
import { addMs, DAY_MS, durationMs, durationWords, isDuration } from "./durations.js";

const H = 3_600_000;

describe("durationMs", () => {
  const cases: [string, number][] = [
    ["0h", 0],
    ["0m", 0],
    ["30m", 30 * 60_000],
    ["48h", 48 * H],
    ["1.5h", 1.5 * H],
    ["14d", 14 * DAY_MS],
    ["2w", 14 * DAY_MS],
    [" 4h ", 4 * H],
  ];
  it.each(cases)("%j is %d ms", (text, ms) => {
    expect(durationMs(text)).toBe(ms);
    expect(isDuration(text)).toBe(true);
  });

  it.each(["", "14", "d", "-1h", "1y", "1 h", "2 weeks", "1h30m", ".5h", "1e3h"])("refuses %j", (text) => {
    expect(isDuration(text)).toBe(false);
    expect(() => durationMs(text)).toThrow(`not a duration: ${text}`);
  });
});

describe("addMs", () => {
  it("adds without touching its argument", () => {
    const at = new Date("2025-03-01T00:00:00Z");
    expect(addMs(at, durationMs("48h")).toISOString()).toBe("2025-03-03T00:00:00.000Z");
    expect(addMs(at, -DAY_MS).toISOString()).toBe("2025-02-28T00:00:00.000Z");
    expect(at.toISOString()).toBe("2025-03-01T00:00:00.000Z");
  });
});

describe("durationWords", () => {
  const cases: [number, string][] = [
    [0, "0 min"],
    [29_000, "0 min"],
    [59 * 60_000, "59 min"],
    [60 * 60_000, "1 h"],
    [200 * 60_000, "3 h 20 min"],
    [47 * H + 59 * 60_000, "47 h 59 min"],
    [48 * H, "2 days"],
    [71 * H, "2 days"],
    [10 * DAY_MS, "10 days"],
    [-90 * 60_000, "1 h 30 min"],
  ];
  it.each(cases)("%d ms reads %j", (ms, words) => {
    expect(durationWords(ms)).toBe(words);
  });
});
