import { describe, expect, it } from "vitest";
import { formatClock, parseClock, quietUntil } from "./quiet-hours.js";
import type { QuietHours } from "./types.js";

const NY = "America/New_York";
const LONDON = "Europe/London";
const NIGHT: QuietHours = { start: 22 * 60, end: 7 * 60 }; // 22:00–07:00, across midnight
const LUNCH: QuietHours = { start: 12 * 60, end: 13 * 60 + 30 }; // 12:00–13:30, within a day

describe("quietUntil", () => {
  const cases: [string, QuietHours | null, string, string, string | null][] = [
    ["no quiet hours", null, NY, "2026-01-15T04:00:00Z", null],
    ["start equal to end: none", { start: 600, end: 600 }, NY, "2026-01-15T15:00:00Z", null],
    // 22:00–07:00 in New York in January (EST, UTC-5)
    ["21:59: not yet", NIGHT, NY, "2026-01-15T02:59:00Z", null],
    ["22:00: quiet until 07:00 tomorrow", NIGHT, NY, "2026-01-15T03:00:00Z", "2026-01-15T12:00:00.000Z"],
    ["23:30: until 07:00 tomorrow", NIGHT, NY, "2026-01-15T04:30:00Z", "2026-01-15T12:00:00.000Z"],
    ["00:00: until 07:00 today", NIGHT, NY, "2026-01-15T05:00:00Z", "2026-01-15T12:00:00.000Z"],
    ["06:59: until 07:00", NIGHT, NY, "2026-01-15T11:59:00Z", "2026-01-15T12:00:00.000Z"],
    ["07:00: over", NIGHT, NY, "2026-01-15T12:00:00Z", null],
    ["noon: not quiet", NIGHT, NY, "2026-01-15T17:00:00Z", null],
    // a window within the day
    ["11:59: before lunch", LUNCH, NY, "2026-01-15T16:59:00Z", null],
    ["12:00: until 13:30", LUNCH, NY, "2026-01-15T17:00:00Z", "2026-01-15T18:30:00.000Z"],
    ["13:29: until 13:30", LUNCH, NY, "2026-01-15T18:29:00Z", "2026-01-15T18:30:00.000Z"],
    ["13:30: over", LUNCH, NY, "2026-01-15T18:30:00Z", null],
    ["23:00 is not in a lunch window", LUNCH, NY, "2026-01-16T04:00:00Z", null],
    // spring forward, New York, 2026-03-08: the night is an hour shorter
    ["spring: 23:00 the night before", NIGHT, NY, "2026-03-08T04:00:00Z", "2026-03-08T11:00:00.000Z"],
    ["spring: 01:59 EST", NIGHT, NY, "2026-03-08T06:59:00Z", "2026-03-08T11:00:00.000Z"],
    ["spring: 03:00 EDT", NIGHT, NY, "2026-03-08T07:00:00Z", "2026-03-08T11:00:00.000Z"],
    ["spring: 07:00 EDT, over", NIGHT, NY, "2026-03-08T11:00:00Z", null],
    ["spring: 06:30 EDT", NIGHT, NY, "2026-03-08T10:30:00Z", "2026-03-08T11:00:00.000Z"],
    [
      "spring: quiet ending in the gap (02:30) ends at 03:30 EDT",
      { start: 0, end: 150 },
      NY,
      "2026-03-08T06:30:00Z",
      "2026-03-08T07:30:00.000Z",
    ],
    [
      "spring: quiet starting in the gap (02:30) starts at 03:30 EDT",
      { start: 150, end: 300 },
      NY,
      "2026-03-08T07:15:00Z",
      null,
    ],
    [
      "spring: … and is on at 03:30 EDT",
      { start: 150, end: 300 },
      NY,
      "2026-03-08T07:30:00Z",
      "2026-03-08T09:00:00.000Z",
    ],
    // fall back, New York, 2026-11-01: the night is an hour longer
    ["fall: 01:30 EDT", NIGHT, NY, "2026-11-01T05:30:00Z", "2026-11-01T12:00:00.000Z"],
    ["fall: 01:30 EST", NIGHT, NY, "2026-11-01T06:30:00Z", "2026-11-01T12:00:00.000Z"],
    ["fall: 06:59 EST", NIGHT, NY, "2026-11-01T11:59:00Z", "2026-11-01T12:00:00.000Z"],
    ["fall: 07:00 EST, over", NIGHT, NY, "2026-11-01T12:00:00Z", null],
    [
      "fall: quiet ending at 01:30 ends at the first 01:30",
      { start: 0, end: 90 },
      NY,
      "2026-11-01T05:10:00Z",
      "2026-11-01T05:30:00.000Z",
    ],
    ["fall: … so the second 01:10 is past it", { start: 0, end: 90 }, NY, "2026-11-01T06:10:00Z", null],
    // London, BST from 2026-03-29 01:00 UTC, GMT from 2026-10-25 01:00 UTC
    ["London winter: 23:00 GMT", NIGHT, LONDON, "2026-01-15T23:00:00Z", "2026-01-16T07:00:00.000Z"],
    ["London summer: 06:30 BST", NIGHT, LONDON, "2026-07-15T05:30:00Z", "2026-07-15T06:00:00.000Z"],
    ["London summer: 07:30 BST, over", NIGHT, LONDON, "2026-07-15T06:30:00Z", null],
    ["London spring night", NIGHT, LONDON, "2026-03-29T00:30:00Z", "2026-03-29T06:00:00.000Z"],
    ["London fall night", NIGHT, LONDON, "2026-10-25T00:30:00Z", "2026-10-25T07:00:00.000Z"],
  ];
  it.each(cases)("%s", (_name, quiet, zone, now, expected) => {
    expect(quietUntil(quiet, zone, new Date(now))?.toISOString() ?? null).toBe(expected);
  });

  it("never answers a time that is not after now", () => {
    const start = new Date("2026-10-31T00:00:00Z").getTime();
    for (let t = start; t < start + 3 * 86_400_000; t += 10 * 60_000) {
      const now = new Date(t);
      for (const zone of [NY, LONDON, "Asia/Tokyo"]) {
        const until = quietUntil(NIGHT, zone, now);
        if (until) expect(until.getTime()).toBeGreaterThan(t);
        if (until) expect(until.getTime() - t).toBeLessThanOrEqual(10 * 3_600_000);
      }
    }
  });
});

describe("parseClock and formatClock", () => {
  it.each([
    ["00:00", 0],
    ["07:00", 420],
    ["22:00", 1320],
    ["23:59", 1439],
  ] as const)("%s is minute %d", (text, minutes) => {
    expect(parseClock(text)).toBe(minutes);
    expect(formatClock(minutes)).toBe(text);
  });
  it.each(["24:00", "7:00", "22:60", "22.00", "", "noon"])("refuses %j", (text) => {
    expect(parseClock(text)).toBeNull();
  });
});
